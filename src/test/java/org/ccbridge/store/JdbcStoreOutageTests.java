package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccbridge.support.IngressAssertions.assertAccepted;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.TcpProxy;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The JDBC dedup store on PostgreSQL, with PostgreSQL taken away.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
class JdbcStoreOutageTests extends ProductionModeTestSupport {

    private static final TcpProxy POSTGRES = new TcpProxy(LocalService.POSTGRESQL.port()).up();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), POSTGRES.port());
        registry.add("ccbridge.store.type", () -> "jdbc");
    }

    @AfterEach
    void servicesBack() {
        POSTGRES.up();
    }

    @AfterAll
    static void closeProxy() {
        POSTGRES.close();
    }

    @Test
    void postgresDownAnswers503PublishesNothingAndRecoversByItself() {
        String id = "msg_" + UUID.randomUUID();
        String body = WebhookClient.demoEvent("digital", "c-j1");
        assertThat(client.postDemo("msg_" + UUID.randomUUID(), body).statusCode()).isEqualTo(200);
        queues.purgeAll();
        POSTGRES.down();

        HttpResponse<String> whileDown = client.postDemo(id, body);

        assertThat(whileDown.statusCode()).isEqualTo(503);
        assertThat(whileDown.body()).contains("could not be recorded");
        assertThat(queues.interactionMessages()).isZero();
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(503);

        POSTGRES.up();
        // the pool reconnects in the background; until it has, a retry still gets 503
        HttpResponse<String> retry = client.retryDemoUntilAnswered(id, body, Duration.ofSeconds(10), 503);

        assertAccepted(retry);
        assertThat(queues.depth(BrokerTopology.DIGITAL_QUEUE)).isEqualTo(1);
    }
}
