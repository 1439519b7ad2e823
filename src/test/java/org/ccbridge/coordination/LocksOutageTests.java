package org.ccbridge.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;

import org.ccbridge.security.Secrets;
import org.ccbridge.support.ApiClient;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The lock API in the prod profile, on Redis, with Redis paused. */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
class LocksOutageTests extends ProductionModeTestSupport {

    private static final String API_KEY = "prod-profile-test-key";

    @Autowired
    StringRedisTemplate redis;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port());
        registry.add("ccbridge.api.clients.tests.key-sha256", () -> Secrets.sha256Hex(API_KEY));
        registry.add("ccbridge.api.clients.tests.scopes", () -> "locks");
    }

    @Test
    void pausedRedisAnswers503WithinTheBudgetAndTheRetryGetsTheLock() throws InterruptedException {
        ApiClient api = new ApiClient(port, API_KEY);
        String path = "/locks/contact-" + UUID.randomUUID();
        redis.execute((RedisCallback<Object>) connection ->
                connection.execute("CLIENT", "PAUSE".getBytes(), "1500".getBytes(), "ALL".getBytes()));

        long started = System.nanoTime();
        HttpResponse<String> duringPause = api.send("POST", path, "{\"owner\":\"flow-a\"}");
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;

        assertThat(duringPause.statusCode()).isEqualTo(503);
        assertThat(duringPause.headers().firstValue("Retry-After")).isPresent();
        assertThat(duringPause.body()).contains("\"status\":503");
        assertThat(elapsedMs).as("answered within the store budget, not after the pause").isLessThan(1400);

        Thread.sleep(1600);
        // Redis may have run the command we gave up on once the pause ended: flow-a holds it then
        HttpResponse<String> retry = api.send("POST", path, "{\"owner\":\"flow-a\"}");
        assertThat(retry.statusCode()).isEqualTo(201);
    }
}
