package org.ccbridge.store;

import java.time.Duration;

import org.ccbridge.dedup.DedupStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

@RequiresServices(LocalService.REDIS)
class RedisDedupStoreTests extends DedupStoreContractTests {

    private static LettuceConnectionFactory connections;
    private static RedisDedupStore store;

    @BeforeAll
    static void start() {
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
        connections.afterPropertiesSet();
        connections.start();
        store = new RedisDedupStore(new StringRedisTemplate(connections), "ccbridge-test:dedup:");
    }

    @AfterAll
    static void stop() {
        if (connections != null) {
            connections.destroy();
        }
    }

    @Override
    protected DedupStore store() {
        return store;
    }
}
