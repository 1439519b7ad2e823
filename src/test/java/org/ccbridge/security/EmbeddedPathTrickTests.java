package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.ccbridge.security.PathTrickTable.Credential;
import org.ccbridge.security.PathTrickTable.Endpoint;
import org.ccbridge.security.PathTrickTable.Variant;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.HandledRequests;
import org.ccbridge.support.StandardWebhooksSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;

/** The path-trick table against the embedded default. */
class EmbeddedPathTrickTests extends EmbeddedModeTestSupport {

    private static final List<Endpoint> ENDPOINTS =
            PathTrickTable.endpoints(ADMIN_TOKEN, OTHER_CLIENT_KEY, StandardWebhooksSigner.DEMO_SECRET);

    @Autowired
    private HandledRequests handled;

    static Stream<Arguments> tricks() {
        return PathTrickTable.cases(ENDPOINTS);
    }

    @ParameterizedTest(name = "{0}, {1}, {2} credential")
    @MethodSource("tricks")
    void everySpellingIsRefusedBeforeAnyHandler(Endpoint endpoint, Variant variant, Credential credential) {
        PathTrickTable.assertRefused(port, handled, endpoint, variant, credential);
    }

    @Test
    void theCanonicalPathWithTheRightCredentialReachesItsHandler() {
        for (Endpoint endpoint : ENDPOINTS) {
            assertThat(PathTrickTable.sendCanonical(port, endpoint, Credential.RIGHT).status())
                    .as("%s", endpoint).isLessThan(500);
            assertThat(handled.reachedHandler(endpoint.method(), endpoint.path())).as("%s", endpoint).isTrue();
        }
    }
}
