package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.ccbridge.security.PathTrickTable.Credential;
import org.ccbridge.security.PathTrickTable.Endpoint;
import org.ccbridge.security.PathTrickTable.Variant;
import org.ccbridge.support.HandledRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The path-trick table as tests, for any running ccbridge: each profile's test class supplies its
 * port, its request recorder and the endpoints with its own credentials. Per-class instances, so
 * that the table's source can ask the instance for them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
interface PathTrickContract {

    int port();

    HandledRequests handled();

    List<Endpoint> endpoints();

    default Stream<Arguments> tricks() {
        return PathTrickTable.cases(endpoints());
    }

    @ParameterizedTest(name = "{0}, {1}, {2} credential")
    @MethodSource("tricks")
    default void everySpellingIsRefusedBeforeAnyHandler(Endpoint endpoint, Variant variant, Credential credential) {
        PathTrickTable.assertRefused(port(), handled(), endpoint, variant, credential);
    }

    @Test
    default void theCanonicalPathWithTheRightCredentialReachesItsHandler() {
        for (Endpoint endpoint : endpoints()) {
            assertThat(PathTrickTable.sendCanonical(port(), endpoint, Credential.RIGHT).status())
                    .as("%s", endpoint).isLessThan(500);
            assertThat(handled().reachedHandler(endpoint.method(), endpoint.path())).as("%s", endpoint).isTrue();
        }
    }
}
