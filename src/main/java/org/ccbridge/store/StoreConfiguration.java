package org.ccbridge.store;

import java.time.Clock;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;

import org.ccbridge.auth.TokenStore;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.LockStore;
import org.ccbridge.coordination.SessionStore;
import org.ccbridge.dedup.DedupStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;

import javax.sql.DataSource;

/**
 * Chooses the dedup store adapter from {@code ccbridge.store.type}.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "ccbridge.store.type", havingValue = "redis")
    static class RedisStore {

        @Bean
        DedupStore dedupStore(StringRedisTemplate redis, StoreProperties properties) {
            return new RedisDedupStore(redis, properties.keyPrefix() + "dedup:");
        }

        @Bean
        LockStore lockStore(StringRedisTemplate redis, StoreProperties properties, Clock clock) {
            return new RedisLockStore(redis, properties.keyPrefix(), clock);
        }

        @Bean
        SessionStore sessionStore(StringRedisTemplate redis, StoreProperties properties) {
            return new RedisSessionStore(redis, properties.keyPrefix());
        }

        @Bean
        TokenStore tokenStore(StringRedisTemplate redis, StoreProperties properties) {
            return new RedisTokenStore(redis, properties.keyPrefix());
        }

        @Bean
        IdempotencyStore idempotencyStore(StringRedisTemplate redis, StoreProperties properties) {
            return new RedisIdempotencyStore(redis, properties.keyPrefix());
        }

        // While Redis is down, fail each command at once instead of queueing it for the
        // reconnect: the sender gets its 503 now, not after a pile of stalled requests.
        @Bean
        LettuceClientConfigurationBuilderCustomizer failFastWhileDisconnected(StoreProperties properties) {
            return builder -> builder
                    .commandTimeout(properties.timeout())
                    .clientOptions(ClientOptions.builder()
                            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                            .timeoutOptions(TimeoutOptions.enabled(properties.timeout()))
                            .build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "ccbridge.store.type", havingValue = "jdbc", matchIfMissing = true)
    static class JdbcStore {

        @Bean
        JdbcDedupStore dedupStore(DataSource dataSource, StoreProperties properties, Clock clock) {
            return new JdbcDedupStore(timedJdbc(dataSource, properties), clock);
        }

        private static JdbcTemplate timedJdbc(DataSource dataSource, StoreProperties properties) {
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            // JDBC query timeouts are whole seconds; the connection pool's own timeout covers
            // an unreachable database within the budget.
            jdbc.setQueryTimeout((int) Math.max(1, Math.ceil(properties.timeout().toMillis() / 1000.0)));
            return jdbc;
        }

        @Bean
        LockStore lockStore(DataSource dataSource, StoreProperties properties, Clock clock) {
            return new JdbcLockStore(timedJdbc(dataSource, properties), clock);
        }

        @Bean
        JdbcSessionStore sessionStore(DataSource dataSource, StoreProperties properties, Clock clock) {
            return new JdbcSessionStore(timedJdbc(dataSource, properties), clock);
        }

        @Bean
        TokenStore tokenStore(DataSource dataSource, StoreProperties properties, Clock clock) {
            return new JdbcTokenStore(timedJdbc(dataSource, properties), clock);
        }

        @Bean
        JdbcIdempotencyStore idempotencyStore(DataSource dataSource, StoreProperties properties, Clock clock) {
            return new JdbcIdempotencyStore(timedJdbc(dataSource, properties), clock);
        }

        @Bean
        ExpiredClaimPurger expiredClaimPurger(JdbcDedupStore store, JdbcSessionStore sessions,
                                              JdbcIdempotencyStore idempotency) {
            return new ExpiredClaimPurger(store, sessions, idempotency);
        }
    }

    /** Keeps the claim and session tables small; rows past their expiry are ignored anyway. */
    static class ExpiredClaimPurger {

        private static final Logger LOG = LoggerFactory.getLogger(ExpiredClaimPurger.class);

        private final JdbcDedupStore store;
        private final JdbcSessionStore sessions;
        private final JdbcIdempotencyStore idempotency;

        ExpiredClaimPurger(JdbcDedupStore store, JdbcSessionStore sessions, JdbcIdempotencyStore idempotency) {
            this.store = store;
            this.sessions = sessions;
            this.idempotency = idempotency;
        }

        @Scheduled(fixedDelayString = "${ccbridge.store.purge-interval:60s}", initialDelayString = "${ccbridge.store.purge-interval:60s}")
        void purge() {
            try {
                store.purgeExpired();
                sessions.purgeExpired();
                idempotency.purgeExpired();
            } catch (RuntimeException e) {
                // the database is away; the next round purges what this one could not
                LOG.debug("Purge skipped: {}", e.getMessage());
            }
        }
    }
}
