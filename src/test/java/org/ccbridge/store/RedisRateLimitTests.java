package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.RateLimit;
import org.ccbridge.coordination.RateLimits;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** Rate limits shared through the local Redis, each instance on a Lettuce client of its own. */
@RequiresServices(LocalService.REDIS)
class RedisRateLimitTests extends SharedRateLimitContractTests {

    private static final List<LettuceConnectionFactory> CLIENTS = new ArrayList<>();

    @Override
    protected RateLimits instance(int number) {
        LettuceConnectionFactory client = RedisConnections.open();
        CLIENTS.add(client);
        return RateLimits.shared(() -> RateLimitBuckets.redis(client, RedisConnections.KEY_PREFIX, Duration.ofSeconds(1)));
    }

    @AfterAll
    static void closeClients() {
        CLIENTS.forEach(RedisConnections::close);
        CLIENTS.clear();
    }

    @Test
    void aBucketIsKeptUnderTheKeyPrefixAndExpiresOnceItWouldBeFullAgain() {
        String name = "expiry-" + UUID.randomUUID();
        assertThat(instance(1).limit(name, 5, 0, Duration.ZERO).acquire(1)).isTrue();

        StringRedisTemplate redis = new StringRedisTemplate(CLIENTS.get(CLIENTS.size() - 1));
        redis.afterPropertiesSet();
        String key = RedisConnections.KEY_PREFIX + "rate-limit:" + name + ":5/s:0/min";
        Long ttlMs = redis.getExpire(key, java.util.concurrent.TimeUnit.MILLISECONDS);
        assertThat(ttlMs).as("expiry of " + key).isBetween(1L, 10_200L + 1_000L);
    }

    @Test
    void aRedisThatDoesNotAnswerIsAStoreFailureNotARefusal() {
        try (TcpProxy proxy = new TcpProxy(LocalService.REDIS.port()).up()) {
            LettuceConnectionFactory client = new LettuceConnectionFactory(
                    new RedisStandaloneConfiguration("127.0.0.1", proxy.port()),
                    LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(1)).build());
            client.afterPropertiesSet();
            client.start();
            CLIENTS.add(client);
            RateLimit limit = RateLimits.shared(() -> RateLimitBuckets.redis(client, RedisConnections.KEY_PREFIX,
                    Duration.ofSeconds(1))).limit("outage-" + UUID.randomUUID(), 5, 0, Duration.ZERO);
            assertThat(limit.acquire(1)).isTrue();

            proxy.stall();

            long started = System.nanoTime();
            assertThatThrownBy(() -> limit.acquire(1)).isInstanceOf(CoordinationStoreUnavailableException.class)
                    .hasMessageContaining("rate limit outage-");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
