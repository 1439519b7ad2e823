package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccbridge.support.IngressAssertions.assertAccepted;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.dedup.DedupStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.TcpProxy;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The prod profile on real RabbitMQ (quorum queues) and Redis, with each of them taken away.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
class IngressOutageTests extends ProductionModeTestSupport {

    private static final TcpProxy RABBITMQ = new TcpProxy(LocalService.RABBITMQ.port()).up();

    @Autowired
    DedupStore dedupStore;

    @Autowired
    StringRedisTemplate redis;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        // the default budget: the confirm wait is what the claim left of it
        productionServices(registry, RABBITMQ.port(), LocalService.POSTGRESQL.port(), "200ms");
        // short lease: a claim that Redis executes after our side gave up expires quickly
        registry.add("ccbridge.dedup.lease", () -> "3s");
    }

    @AfterEach
    void servicesBack() {
        RABBITMQ.up();
    }

    @AfterAll
    static void closeProxy() {
        RABBITMQ.close();
    }

    @Test
    void acceptsIntoQuorumQueuesOnRabbitMq() {
        String id = WebhookClient.newEventId();
        HttpResponse<String> response = client.postDemo(id, WebhookClient.demoEvent("digital", "c-p1"));

        assertAccepted(response);
        assertThat(queues.depth(BrokerTopology.DIGITAL_QUEUE)).isEqualTo(1);
        assertThat(client.postDemo(id, WebhookClient.demoEvent("digital", "c-p1")).body()).contains("DUPLICATE");
        assertThat(queues.depth(BrokerTopology.DIGITAL_QUEUE)).isEqualTo(1);
    }

    @Test
    void pausedRedisAnswers503PublishesNothingAndRecoversByItself() throws InterruptedException {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("voice", "c-p2");
        redis.execute((RedisCallback<Object>) connection ->
                connection.execute("CLIENT", "PAUSE".getBytes(), "2000".getBytes(), "ALL".getBytes()));

        long started = System.nanoTime();
        HttpResponse<String> duringPause = client.postDemo(id, body);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(duringPause.statusCode()).isEqualTo(503);
        assertThat(duringPause.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(elapsedMs).as("answered within the store budget, not after the pause").isLessThan(1900);
        assertThat(queues.interactionMessages()).isZero();

        // 503 while paused, 409 while a claim Redis ran after our timeout still holds its lease
        HttpResponse<String> retry = client.retryDemoUntilAnswered(id, body, Duration.ofSeconds(15), 409, 503);
        assertAccepted(retry);
        assertThat(queues.depth(BrokerTopology.VOICE_QUEUE)).isEqualTo(1);
    }

    @Test
    void rabbitMqDownAnswers503ReleasesTheClaimAndTheRetrySucceeds() {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("voice", "c-p3");
        RABBITMQ.down();

        HttpResponse<String> whileDown = client.postDemo(id, body);

        assertThat(whileDown.statusCode()).isEqualTo(503);
        assertThat(whileDown.body()).contains("could not be made durable");
        assertThat(dedupStore.lookup("demo:" + id, WebhookClient.payloadHash(body))).as("claim released").isNull();

        RABBITMQ.up();
        HttpResponse<String> retry = client.postDemo(id, body);

        assertAccepted(retry);
        assertThat(queues.depth(BrokerTopology.VOICE_QUEUE)).isEqualTo(1);
        assertThat(client.get("/actuator/prometheus").body())
                .containsPattern("ccbridge_broker_publish_failures_total [1-9]");
    }

    @Test
    void confirmThatDoesNotComeWithinTheAckBudgetAnswers503AndReleasesTheClaim() {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("digital", "c-p4");
        // a warm path with every publishing channel open (they take turns, and an earlier test
        // may have closed them): opening a channel is an RPC the budget does not bound
        for (int i = 0; i < 4; i++) {
            client.retryDemoUntilAnswered(WebhookClient.newEventId(), WebhookClient.demoEvent("voice", "c-p4-warm-" + i),
                    Duration.ofSeconds(10), 503);
        }
        queues.purgeAll();
        RABBITMQ.stall();
        HttpResponse<String> unconfirmed;
        long elapsedMs;
        try {
            long started = System.nanoTime();
            unconfirmed = client.postDemo(id, body);
            elapsedMs = (System.nanoTime() - started) / 1_000_000;
        } finally {
            RABBITMQ.resume();
        }

        assertThat(unconfirmed.statusCode()).isEqualTo(503);
        // the confirm wait is what is left of the 200 ms ack budget, not the 2 s confirm timeout
        assertThat(elapsedMs).as("answered within the ack budget, ms").isLessThan(1_000);
        assertThat(unconfirmed.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(dedupStore.lookup("demo:" + id, WebhookClient.payloadHash(body))).as("claim released").isNull();

        HttpResponse<String> retry = client.postDemo(id, body);
        assertAccepted(retry);
        // the broker did take the first publish; that copy is the at-least-once duplicate the
        // design leaves to downstream keys (docs/architecture.md)
        assertThat(queues.depth(BrokerTopology.DIGITAL_QUEUE)).isBetween(1L, 2L);
    }

    @Test
    void readinessFollowsTheBroker() {
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
        RABBITMQ.down();
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(503);
        RABBITMQ.up();
        assertThat(client.get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }
}
