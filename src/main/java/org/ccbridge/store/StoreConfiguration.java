package org.ccbridge.store;

import java.sql.DatabaseMetaData;
import java.time.Clock;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.TimeoutOptions;

import org.ccbridge.auth.TokenStore;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.LockStore;
import org.ccbridge.coordination.RateLimits;
import org.ccbridge.coordination.SessionStore;
import org.ccbridge.dedup.DedupStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.data.redis.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.scheduling.annotation.Scheduled;

import javax.sql.DataSource;

/**
 * Chooses the adapters of the shared state (dedup claims, locks, sessions, tokens, idempotency
 * records, rate-limit buckets) from {@code ccbridge.store.type}.
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

        @Bean
        RateLimits rateLimits(RedisConnectionFactory connections, StoreProperties properties) {
            if (!(connections instanceof LettuceConnectionFactory lettuce)) {
                throw new IllegalStateException("shared rate limits need the Lettuce Redis client");
            }
            return RateLimits.shared(() -> RateLimitBuckets.redis(lettuce, properties.keyPrefix(), properties.timeout()));
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

        /** Shared through PostgreSQL; H2 is the embedded store of one instance, whose limits stay in memory. */
        @Bean
        RateLimits rateLimits(DataSource dataSource, StoreProperties properties) {
            return isPostgres(dataSource)
                    ? RateLimits.shared(() -> RateLimitBuckets.postgres(dataSource, properties.timeout()))
                    : RateLimits.inMemory();
        }

        private static boolean isPostgres(DataSource dataSource) {
            try {
                return "PostgreSQL".equals(JdbcUtils.extractDatabaseMetaData(dataSource,
                        DatabaseMetaData::getDatabaseProductName));
            } catch (MetaDataAccessException e) {
                throw new IllegalStateException("cannot tell which database the JDBC store is: " + e.getMessage(), e);
            }
        }

        @Bean
        ExpiredClaimPurger expiredClaimPurger(JdbcDedupStore store, JdbcSessionStore sessions,
                                              JdbcIdempotencyStore idempotency, RateLimits rateLimits) {
            return new ExpiredClaimPurger(store, sessions, idempotency, rateLimits);
        }
    }

    /** Keeps the claim, session and bucket tables small; rows past their expiry are ignored anyway. */
    static class ExpiredClaimPurger {

        private static final Logger LOG = LoggerFactory.getLogger(ExpiredClaimPurger.class);

        private final JdbcDedupStore store;
        private final JdbcSessionStore sessions;
        private final JdbcIdempotencyStore idempotency;
        private final RateLimits rateLimits;

        ExpiredClaimPurger(JdbcDedupStore store, JdbcSessionStore sessions, JdbcIdempotencyStore idempotency,
                           RateLimits rateLimits) {
            this.store = store;
            this.sessions = sessions;
            this.idempotency = idempotency;
            this.rateLimits = rateLimits;
        }

        @Scheduled(fixedDelayString = "${ccbridge.store.purge-interval:60s}", initialDelayString = "${ccbridge.store.purge-interval:60s}")
        void purge() {
            try {
                store.purgeExpired();
                sessions.purgeExpired();
                idempotency.purgeExpired();
                rateLimits.purgeExpired();
            } catch (RuntimeException e) {
                // the database is away; the next round purges what this one could not
                LOG.debug("Purge skipped: {}", e.getMessage());
            }
        }
    }
}
