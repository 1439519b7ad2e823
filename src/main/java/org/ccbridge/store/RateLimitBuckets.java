package org.ccbridge.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import javax.sql.DataSource;

/** Where shared rate-limit buckets live: Bucket4j's proxy managers for Redis and PostgreSQL. */
public final class RateLimitBuckets {

    // a bucket that has refilled completely holds nothing worth keeping; it is created again on use
    private static final ExpirationAfterWriteStrategy UNTIL_FULL =
            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10));
    // a permit is not on the acknowledgment path, and every caller of a busy limit waits for the
    // same key: a store call may take longer than the claim's budget before it counts as failed
    private static final Duration LEAST_CALL_TIMEOUT = Duration.ofSeconds(1);

    private RateLimitBuckets() {
    }

    /** Buckets in Redis, on a connection of their own from the application's Lettuce client. */
    public static ProxyManager<String> redis(LettuceConnectionFactory connections, String keyPrefix, Duration timeout) {
        AbstractRedisClient client = connections.getNativeClient();
        var builder = client instanceof RedisClusterClient cluster ? Bucket4jLettuce.casBasedBuilder(cluster)
                : Bucket4jLettuce.casBasedBuilder((RedisClient) client);
        ProxyManager<byte[]> buckets = builder.expirationAfterWrite(UNTIL_FULL).requestTimeout(callTimeout(timeout))
                .build();
        return buckets.withMapper(key -> (keyPrefix + key).getBytes(StandardCharsets.UTF_8));
    }

    /** Buckets in PostgreSQL rows of {@code ccbridge_rate_limit_buckets}, locked per call. */
    public static ProxyManager<String> postgres(DataSource dataSource, Duration timeout) {
        return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                .primaryKeyMapper(PrimaryKeyMapper.STRING)
                .table("ccbridge_rate_limit_buckets")
                .expirationAfterWrite(UNTIL_FULL)
                .requestTimeout(callTimeout(timeout))
                .build();
    }

    private static Duration callTimeout(Duration storeTimeout) {
        return storeTimeout.compareTo(LEAST_CALL_TIMEOUT) > 0 ? storeTimeout : LEAST_CALL_TIMEOUT;
    }
}
