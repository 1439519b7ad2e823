package org.ccbridge.security;

import java.util.List;

import org.ccbridge.security.PathTrickTable.Endpoint;
import org.ccbridge.support.FakeCrm;
import org.ccbridge.support.HandledRequests;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The path-trick table against the prod profile, with credentials of its own. */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
class ProductionPathTrickTests extends ProductionModeTestSupport implements PathTrickContract {

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

    @Override
    public int port() {
        return port;
    }

    @Override
    public HandledRequests handled() {
        return handled;
    }

    @Override
    public List<Endpoint> endpoints() {
        return ENDPOINTS;
    }
}
