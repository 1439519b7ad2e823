package org.ccbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ccbridge.CcbridgeApplication;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * ccbridge in its embedded default (in-process broker, H2 on disk) with its data in a fresh
 * temporary folder. Subclasses share one application context.
 */
@Import(HandledRequests.Registration.class)
@AutoConfigureObservability
@SpringBootTest(classes = CcbridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class EmbeddedModeTestSupport {

    private static final Path DATA_DIR = temporaryDataDir();
    private static final int BROKER_PORT = FreePorts.next();
    /** A copy of routes/, so that reload tests can edit files without touching the project. */
    protected static final Path ROUTES_DIR = RouteFolders.copyOfProjectRoutes("ccbridge-test-routes");
    protected static final String GENESYS_SECRET = "genesys-data-action-secret";
    protected static final String CXONE_SECRET = "cxone-hmac-secret";
    /** The one event type the cxone source counts non-critical in the embedded test context. */
    protected static final String NON_CRITICAL_TYPE = "agent.presence.test";
    /** The source of kind cxone-poll that polls {@link FakeCxone}. */
    protected static final String CXONE_POLL_SOURCE = "cxone-poll-demo";
    /** The source of kind genesys-notifications that keeps a channel of {@link FakeGenesys} open. */
    protected static final String GENESYS_CHANNEL_SOURCE = "genesys-channel-demo";
    protected static final String GENESYS_TOPIC = "v2.routing.queues.5a9f6c2e-0b7d-4c57-9b8e-2d1f4e6a7c3b.conversations";
    /** The embedded default's dev API client key (every flow scope), published in the README. */
    public static final String DEV_API_KEY = "ccbridge-dev-api-key-01";
    /** The embedded default's operate token for the admin API, published in the README. */
    public static final String ADMIN_TOKEN = "ccbridge-dev-admin-token-01";
    /** A second API client beside the embedded default's dev client. */
    protected static final String OTHER_CLIENT_KEY = "other-client-test-key";
    /** The key of an API client whose name is as long as a name may be (64 characters). */
    protected static final String LONG_NAME_CLIENT_KEY = "long-name-client-test-key";
    /** An API client that may read the admin API and nothing else. */
    protected static final String ADMIN_READER_KEY = "admin-reader-test-key";
    /** An API client configured without scopes: it authenticates and may call nothing. */
    protected static final String NO_SCOPE_KEY = "no-scope-test-key";

    @LocalServerPort
    protected int port;

    @Autowired
    protected AmqpAdmin rabbitAdmin;

    @Autowired
    protected RabbitTemplate rabbitTemplate;

    protected WebhookClient client;
    protected QueueProbe queues;

    @DynamicPropertySource
    static void embeddedMode(DynamicPropertyRegistry registry) {
        registry.add("ccbridge.data-dir", DATA_DIR::toString);
        registry.add("ccbridge.broker.embedded.port", () -> BROKER_PORT);
        registry.add("ccbridge.routes-dir", ROUTES_DIR::toString);
        registry.add("ccbridge.routes.quiet-period", () -> "100ms");
        // a context's first delivery runs on a cold JVM and may take longer than the 200 ms default
        registry.add("ccbridge.ingress.ack-budget", () -> "2s");
        registry.add("ccbridge.store.timeout", () -> "500ms");
        // a Genesys data action (shared header secret) and a CXone sender (HMAC header)
        registry.add("ccbridge.sources.genesys.format", () -> "genesys");
        registry.add("ccbridge.sources.genesys.scheme", () -> "shared-secret");
        registry.add("ccbridge.sources.genesys.signature-header", () -> "X-Ccbridge-Secret");
        registry.add("ccbridge.sources.genesys.secret", () -> GENESYS_SECRET);
        registry.add("ccbridge.sources.cxone.format", () -> "nice-cxone");
        registry.add("ccbridge.sources.cxone.scheme", () -> "hmac-sha256");
        registry.add("ccbridge.sources.cxone.signature-header", () -> "X-Signature");
        registry.add("ccbridge.sources.cxone.signature-prefix", () -> "sha256=");
        registry.add("ccbridge.sources.cxone.secret", () -> CXONE_SECRET);
        // a source whose events come from a route (PulledIngressTests): no scheme, no secret
        registry.add("ccbridge.sources.pulled-demo.kind", () -> "route");
        registry.add("ccbridge.sources.pulled-demo.format", () -> "nice-cxone");
        // a CXone source ccbridge polls (CxonePollTests), against the fake CXone: nothing changes there
        // until a test says so
        FakeCxone.registerSource(registry, CXONE_POLL_SOURCE, "200ms");
        // a Genesys notification channel ccbridge keeps open (GenesysNotificationsTests), against the fake
        FakeGenesys.registerSource(registry, GENESYS_CHANNEL_SOURCE, GENESYS_TOPIC, "3s");
        // a type no test sends through the ingress: AdminDeadLetterApiTests replays one from the DLQ
        registry.add("ccbridge.sources.cxone.non-critical-types[0]", () -> NON_CRITICAL_TYPE);
        registry.add("ccbridge.api.clients.other.key-sha256", () -> sha256Hex(OTHER_CLIENT_KEY));
        registry.add("ccbridge.api.clients.other.scopes", () -> "locks,sessions,notifications,gateway:crm");
        registry.add("ccbridge.api.clients.reader.key-sha256", () -> sha256Hex(ADMIN_READER_KEY));
        registry.add("ccbridge.api.clients.reader.scopes", () -> "admin:read");
        registry.add("ccbridge.api.clients.unscoped.key-sha256", () -> sha256Hex(NO_SCOPE_KEY));
        registry.add("ccbridge.api.clients." + "c".repeat(64) + ".key-sha256", () -> sha256Hex(LONG_NAME_CLIENT_KEY));
        registry.add("ccbridge.api.clients." + "c".repeat(64) + ".scopes", () -> "locks,sessions");
        // gateway targets in front of the fake CRM (GatewayApiTests)
        registry.add("ccbridge.gateway.targets.crm.base-url", () -> FakeCrm.SERVER.baseUrl() + "/api");
        registry.add("ccbridge.gateway.targets.crm.auth-header", () -> "X-Api-Key");
        registry.add("ccbridge.gateway.targets.crm.auth-value", () -> "crm-api-key");
        registry.add("ccbridge.gateway.targets.crm.timeout", () -> "3s");
        registry.add("ccbridge.gateway.targets.flaky.base-url", () -> FakeCrm.SERVER.baseUrl() + "/flaky");
        registry.add("ccbridge.gateway.targets.flaky.circuit-breaker.sliding-window", () -> "2");
        registry.add("ccbridge.gateway.targets.flaky.circuit-breaker.minimum-calls", () -> "2");
        registry.add("ccbridge.gateway.targets.flaky.circuit-breaker.open-for", () -> "60s");
        registry.add("ccbridge.gateway.targets.throttled.base-url", () -> FakeCrm.SERVER.baseUrl() + "/throttled");
        registry.add("ccbridge.gateway.targets.throttled.rate-limit-per-second", () -> "1");
        registry.add("ccbridge.gateway.targets.down.base-url", () -> "http://127.0.0.1:" + FreePorts.next());
    }

    @BeforeEach
    void connectClients() {
        client = new WebhookClient(port);
        queues = new QueueProbe(rabbitAdmin, rabbitTemplate);
        queues.purgeAll();
    }

    public static String sha256Hex(String key) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path temporaryDataDir() {
        try {
            return Files.createTempDirectory("ccbridge-test-data");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
