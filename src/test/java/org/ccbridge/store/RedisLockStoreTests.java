package org.ccbridge.store;

import java.time.Clock;
import java.time.Duration;

import org.ccbridge.coordination.LockStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

@RequiresServices(LocalService.REDIS)
class RedisLockStoreTests extends LockStoreContractTests {

    private static final String PREFIX = "ccbridge-test:";

    private static LettuceConnectionFactory connections;
    private static LettuceConnectionFactory otherConnections;
    private static LockStore store;
    private static LockStore another;

    @BeforeAll
    static void start() {
        connections = connect();
        otherConnections = connect();
        store = new RedisLockStore(new StringRedisTemplate(connections), PREFIX, Clock.systemUTC());
        another = new RedisLockStore(new StringRedisTemplate(otherConnections), PREFIX, Clock.systemUTC());
    }

    private static LettuceConnectionFactory connect() {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379),
                LettuceClientConfiguration.builder().commandTimeout(Duration.ofSeconds(2)).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    @AfterAll
    static void stop() {
        for (LettuceConnectionFactory factory : new LettuceConnectionFactory[] {connections, otherConnections}) {
            if (factory != null) {
                factory.destroy();
            }
        }
    }

    @Override
    protected LockStore store() {
        return store;
    }

    @Override
    protected LockStore anotherInstance() {
        return another;
    }
}
