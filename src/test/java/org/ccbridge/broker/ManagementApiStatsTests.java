package org.ccbridge.broker;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/** Queue depths and rates from RabbitMQ's management API: its answers as a fake gives them, and the local broker's. */
class ManagementApiStatsTests {

    private static WireMockServer management;

    @BeforeAll
    static void start() {
        management = new WireMockServer(wireMockConfig().dynamicPort());
        management.start();
    }

    @AfterAll
    static void stop() {
        management.stop();
    }

    @BeforeEach
    void reset() {
        management.resetAll();
    }

    private ManagementApiStats api() {
        return new ManagementApiStats("http://monitor:p%40ss@127.0.0.1:" + management.port(), "/", Duration.ofSeconds(2));
    }

    @Test
    void depthAndRatesInAndOutAsTheBrokerMeasuresThem() {
        management.stubFor(get(urlPathEqualTo("/api/queues/%2F/ccbridge.voice.interactions"))
                .willReturn(okJson("{\"messages\":120345,\"message_stats\":{\"publish_details\":{\"rate\":812.4},"
                        + "\"ack_details\":{\"rate\":640.0}}}")));

        Optional<QueueStats> stats = api().read("ccbridge.voice.interactions");

        assertThat(stats).contains(new QueueStats(120_345, 812.4, 640.0));
        // the vhost "/" travels encoded, the credentials as Basic auth and never in the URL
        management.verify(getRequestedFor(urlPathEqualTo("/api/queues/%2F/ccbridge.voice.interactions"))
                .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("monitor", "p@ss")));
    }

    @Test
    void aQueueNothingWentThroughYetHasRatesOfZero() {
        management.stubFor(get(urlPathEqualTo("/api/queues/%2F/ccbridge.dlq")).willReturn(okJson("{\"messages\":0}")));

        assertThat(api().read("ccbridge.dlq")).contains(new QueueStats(0, 0.0, 0.0));
    }

    @Test
    void aMissingQueueIsNoReading() {
        management.stubFor(get(urlPathEqualTo("/api/queues/%2F/ccbridge.crm.inbound")).willReturn(aResponse()
                .withStatus(404).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"Object Not Found\",\"reason\":\"Not Found\"}")));

        assertThat(api().read("ccbridge.crm.inbound")).isEmpty();
    }

    @Test
    void aRefusingApiFallsBackToTheDepthAlone() {
        management.stubFor(get(urlPathEqualTo("/api/queues/%2F/ccbridge.voice.interactions")).willReturn(aResponse()
                .withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"not_authorised\",\"reason\":\"Login failed\"}")));
        QueueStatsSource passive = queue -> Optional.of(QueueStats.depthOnly(7));

        assertThatThrownBy(() -> api().read("ccbridge.voice.interactions")).hasMessageContaining("401");
        assertThat(QueueStatsSource.preferring(api(), passive).read("ccbridge.voice.interactions"))
                .contains(new QueueStats(7, null, null));
    }

    /** The local RabbitMQ's own management API (plugin rabbitmq_management, which CI enables). */
    @Nested
    @RequiresServices({LocalService.RABBITMQ, LocalService.RABBITMQ_MANAGEMENT})
    class LocalBroker {

        @Test
        void depthOfAQueueNobodyConsumes() {
            CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", LocalService.RABBITMQ.port());
            String queue = "ccbridge-test.management-" + UUID.randomUUID();
            RabbitAdmin admin = new RabbitAdmin(connections);
            try {
                admin.declareQueue(new Queue(queue, false, false, false));
                RabbitTemplate rabbit = new RabbitTemplate(connections);
                for (int i = 0; i < 3; i++) {
                    rabbit.convertAndSend("", queue, "event " + i);
                }
                ManagementApiStats local = new ManagementApiStats("http://guest:guest@127.0.0.1:"
                        + LocalService.RABBITMQ_MANAGEMENT.port(), "/", Duration.ofSeconds(2));

                // the API refreshes its figures every few seconds
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                        .until(() -> local.read(queue).map(QueueStats::depth).orElse(-1L) == 3);
                QueueStats stats = local.read(queue).orElseThrow();
                assertThat(stats.inRate()).isNotNull().isGreaterThanOrEqualTo(0.0);
                assertThat(stats.outRate()).isNotNull().isGreaterThanOrEqualTo(0.0);
                assertThat(local.read("ccbridge-test.no-such-queue-" + UUID.randomUUID())).isEmpty();
            } finally {
                admin.deleteQueue(queue);
                connections.destroy();
            }
        }
    }
}
