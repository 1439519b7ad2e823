package org.ccbridge.store;

import org.ccbridge.auth.TokenStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

@RequiresServices(LocalService.REDIS)
class RedisTokenStoreTests extends TokenStoreContractTests {

    private static LettuceConnectionFactory connections;
    private static TokenStore store;

    @BeforeAll
    static void start() {
        connections = RedisConnections.open();
        store = new RedisTokenStore(new StringRedisTemplate(connections), RedisConnections.KEY_PREFIX);
    }

    @AfterAll
    static void stop() {
        RedisConnections.close(connections);
    }

    @Override
    protected TokenStore store() {
        return store;
    }
}
