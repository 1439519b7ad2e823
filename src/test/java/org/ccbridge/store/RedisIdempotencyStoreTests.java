package org.ccbridge.store;

import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

@RequiresServices(LocalService.REDIS)
class RedisIdempotencyStoreTests extends IdempotencyStoreContractTests {

    private static LettuceConnectionFactory connections;
    private static IdempotencyStore store;

    @BeforeAll
    static void start() {
        connections = RedisConnections.open();
        store = new RedisIdempotencyStore(new StringRedisTemplate(connections), RedisConnections.KEY_PREFIX);
    }

    @AfterAll
    static void stop() {
        RedisConnections.close(connections);
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }
}
