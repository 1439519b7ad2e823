package org.ccbridge.store;

import org.ccbridge.dedup.DedupStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

@RequiresServices(LocalService.REDIS)
class RedisDedupStoreTests extends DedupStoreContractTests {

    private static LettuceConnectionFactory connections;
    private static RedisDedupStore store;

    @BeforeAll
    static void start() {
        connections = RedisConnections.open();
        store = new RedisDedupStore(new StringRedisTemplate(connections), RedisConnections.KEY_PREFIX + "dedup:");
    }

    @AfterAll
    static void stop() {
        RedisConnections.close(connections);
    }

    @Override
    protected DedupStore store() {
        return store;
    }
}
