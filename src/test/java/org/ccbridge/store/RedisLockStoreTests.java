package org.ccbridge.store;

import java.time.Clock;

import org.ccbridge.coordination.LockStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

@RequiresServices(LocalService.REDIS)
class RedisLockStoreTests extends LockStoreContractTests {

    private static LettuceConnectionFactory connections;
    private static LettuceConnectionFactory otherConnections;
    private static LockStore store;
    private static LockStore another;

    @BeforeAll
    static void start() {
        connections = RedisConnections.open();
        otherConnections = RedisConnections.open();
        store = new RedisLockStore(new StringRedisTemplate(connections), RedisConnections.KEY_PREFIX, Clock.systemUTC());
        another = new RedisLockStore(new StringRedisTemplate(otherConnections), RedisConnections.KEY_PREFIX, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        RedisConnections.close(connections, otherConnections);
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
