package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccbridge.support.IngressAssertions.assertAccepted;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.ccbridge.dedup.SlowStoreBreaker;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.TcpProxy;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Redis (the prod profile's dedup store) behind a proxy that makes every reply slow: once most
 * claims in the window took longer than the threshold, deliveries are answered 503 at once
 * without asking the store, and accepted again after the store recovers.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
// its own context, with a connection pool: closed after the class, or PostgreSQL runs out of clients
@DirtiesContext
class SlowDedupStoreTests extends ProductionModeTestSupport {

    private static final TcpProxy REDIS = new TcpProxy(LocalService.REDIS.port()).up();
    private static final Duration SLOW = Duration.ofMillis(300);
    private static final int MINIMUM_CALLS = 4;

    @Autowired
    private SlowStoreBreaker breaker;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        // slow claims still fit the budget and the store timeout: what refuses them is the
        // breaker, not a timeout
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port(), "3s");
        registry.add("ccbridge.store.timeout", () -> "3s");
        registry.add("spring.data.redis.url", () -> "redis://127.0.0.1:" + REDIS.port());
        registry.add("ccbridge.ingress.slow-store.minimum-calls", () -> String.valueOf(MINIMUM_CALLS));
        registry.add("ccbridge.ingress.slow-store.open-for", () -> "1s");
        registry.add("ccbridge.ingress.slow-store.warm-up", () -> "0s");
    }

    @AfterEach
    void storeFastAgain() {
        REDIS.delay(Duration.ZERO);
    }

    @AfterAll
    static void closeProxy() {
        REDIS.close();
    }

    @Test
    void aStoreThatStaysSlowGetsDeliveriesA503WithoutAStoreCallUntilItRecovers() throws InterruptedException {
        REDIS.delay(SLOW);
        for (int i = 0; i < MINIMUM_CALLS; i++) {
            // slow, but answered: one slow claim is not yet a slow store
            assertAccepted(client.postDemo(WebhookClient.newEventId(), WebhookClient.demoEvent("voice", "slow-" + i)));
        }
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        String refusedId = WebhookClient.newEventId();
        String refusedBody = WebhookClient.demoEvent("digital", "slow-refused");
        long started = System.nanoTime();
        HttpResponse<String> refused = client.postDemo(refusedId, refusedBody);
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(elapsedMs).as("answered without waiting for the store's %d ms", SLOW.toMillis())
                .isLessThan(SLOW.toMillis());
        assertThat(queues.depth(org.ccbridge.broker.BrokerTopology.DIGITAL_QUEUE)).isZero();

        REDIS.delay(Duration.ZERO);
        // after open-for, a few claims are tried; fast ones close the breaker
        assertAccepted(client.retryDemoUntilAnswered(refusedId, refusedBody, Duration.ofSeconds(10), 503));
        assertThat(queues.depth(org.ccbridge.broker.BrokerTopology.DIGITAL_QUEUE)).isEqualTo(1);
    }
}
