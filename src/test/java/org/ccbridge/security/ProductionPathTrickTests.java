package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;

import org.ccbridge.security.PathTrickTable.Credential;
import org.ccbridge.security.PathTrickTable.Endpoint;
import org.ccbridge.security.PathTrickTable.Variant;
import org.ccbridge.support.FakeCrm;
import org.ccbridge.support.HandledRequests;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The path-trick table against the prod profile, with credentials of its own. */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
class ProductionPathTrickTests extends ProductionModeTestSupport {

    private static final String ADMIN_TOKEN = "prod-trick-operate-token";
    private static final String API_KEY = "prod-trick-api-key";
    private static final List<Endpoint> ENDPOINTS = PathTrickTable.endpoints(ADMIN_TOKEN, API_KEY, SOURCE_SECRET);

    @Autowired
    private HandledRequests handled;

    @Autowired
    private JdbcTemplate jdbc;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port());
        registry.add("ccbridge.admin.operate-token", () -> ADMIN_TOKEN);
        registry.add("ccbridge.api.clients.tricks.key-sha256", () -> Secrets.sha256Hex(API_KEY));
        registry.add("ccbridge.api.clients.tricks.scopes", () -> "locks,sessions,notifications,gateway:crm");
        registry.add("ccbridge.gateway.targets.crm.base-url", () -> FakeCrm.SERVER.baseUrl() + "/api");
    }

    /** The control request leaves a PENDING notification in the shared database; the relay tests must not find it. */
    @AfterEach
    void removeThisClientsNotifications() {
        jdbc.update("DELETE FROM ccbridge_outbox WHERE notification_id IN "
                + "(SELECT id FROM ccbridge_notifications WHERE client = 'tricks')");
        jdbc.update("DELETE FROM ccbridge_notifications WHERE client = 'tricks'");
    }

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
