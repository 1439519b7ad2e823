package org.ccbridge.store;

import java.time.Duration;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Connections to the local Redis for the store tests, started and ready. */
final class RedisConnections {

    static final String KEY_PREFIX = "ccbridge-test:";

    private RedisConnections() {
    }

    static LettuceConnectionFactory open() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    static void close(LettuceConnectionFactory... factories) {
        for (LettuceConnectionFactory factory : factories) {
            if (factory != null) {
                factory.destroy();
            }
        }
    }
}
