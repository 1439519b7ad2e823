package org.ccbridge.support;

import java.util.Base64;

import org.ccbridge.CcbridgeApplication;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * ccbridge in the prod profile against the machine's RabbitMQ, Redis and PostgreSQL. RabbitMQ and
 * the database can be reached through {@link TcpProxy}s so that a test can take them away.
 */
@Import(HandledRequests.Registration.class)
@AutoConfigureObservability
@ActiveProfiles("prod")
@SpringBootTest(classes = CcbridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class ProductionModeTestSupport {

    /** Not the published development secret: the prod profile refuses that one. */
    protected static final String SOURCE_SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("ccbridge-prod-mode-test-secret".getBytes());

    @LocalServerPort
    protected int port;

    @Autowired
    protected AmqpAdmin amqpAdmin;

    @Autowired
    protected RabbitTemplate rabbitTemplate;

    protected WebhookClient client;
    protected QueueProbe queues;

    protected static void productionServices(DynamicPropertyRegistry registry, int rabbitPort, int postgresPort) {
        // a context's first delivery runs on a cold JVM and may wait longer than the 200 ms default
        productionServices(registry, rabbitPort, postgresPort, "2s");
    }

    /**
     * @param ackBudget {@code ccbridge.ingress.ack-budget}; tests of the budget itself pass the default
     */
    protected static void productionServices(DynamicPropertyRegistry registry, int rabbitPort, int postgresPort,
                                             String ackBudget) {
        registry.add("spring.rabbitmq.addresses", () -> "amqp://guest:guest@127.0.0.1:" + rabbitPort);
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:6379");
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + postgresPort + "/test");
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("ccbridge.sources.demo.secret", () -> SOURCE_SECRET);
        registry.add("ccbridge.store.key-prefix", () -> "ccbridge-test:");
        registry.add("ccbridge.routes.reload", () -> "false");
        registry.add("ccbridge.broker.confirm-timeout", () -> "2s");
        registry.add("ccbridge.ingress.ack-budget", () -> ackBudget);
        // store calls keep their own budget: the store's outage tests are about it, not the ingress
        registry.add("ccbridge.store.timeout", () -> "500ms");
    }

    @BeforeEach
    void connectClients() {
        client = new WebhookClient(port, SOURCE_SECRET);
        queues = new QueueProbe(amqpAdmin, rabbitTemplate);
        queues.purgeAll();
    }
}
