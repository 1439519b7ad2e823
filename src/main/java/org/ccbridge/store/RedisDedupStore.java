package org.ccbridge.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import io.lettuce.core.RedisException;

import org.ccbridge.dedup.Claim;
import org.ccbridge.dedup.ClaimState;
import org.ccbridge.dedup.DedupStore;
import org.ccbridge.dedup.DedupStoreUnavailableException;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Dedup claims in Redis: {@code SET NX PX GET} for the claim (Redis 7 or later), compare-and-set
 * scripts for confirm and release so that only the token holder changes a claim. Each operation
 * is one round trip.
 */
public class RedisDedupStore implements DedupStore {

    // ARGV[1] is the in-flight prefix "I|token|": only the token holder matches it.
    private static final RedisScript<Long> CONFIRM = RedisScript.of("""
            local v = redis.call('GET', KEYS[1])
            if not v or string.sub(v, 1, #ARGV[1]) ~= ARGV[1] then return 0 end
            redis.call('SET', KEYS[1], 'D' .. string.sub(v, 2), 'PX', ARGV[2])
            return 1
            """, Long.class);

    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            local v = redis.call('GET', KEYS[1])
            if not v or string.sub(v, 1, #ARGV[1]) ~= ARGV[1] then return 0 end
            return redis.call('DEL', KEYS[1])
            """, Long.class);

    private final StringRedisTemplate redis;
    private final String keyPrefix;

    public RedisDedupStore(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public Claim claim(String key, String payloadHash, Duration lease) {
        String token = UUID.randomUUID().toString();
        byte[] value = ClaimValueCodec.inFlight(token, payloadHash).getBytes(StandardCharsets.UTF_8);
        // SET NX PX GET (Redis 7): sets the claim, or returns the existing value in the same
        // atomic step; a separate GET could find the key expired in between.
        byte[] existing = call(() -> redis.execute((RedisCallback<byte[]>) connection -> connection.stringCommands()
                .setGet(bytes(key), value, Expiration.milliseconds(lease.toMillis()), SetOption.SET_IF_ABSENT)));
        if (existing == null) {
            return Claim.claimed(token);
        }
        return Claim.existing(ClaimValueCodec.decode(new String(existing, StandardCharsets.UTF_8)).answerFor(payloadHash));
    }

    @Override
    public boolean confirm(String key, String token, Duration ttl) {
        Long changed = call(() -> redis.execute(CONFIRM, List.of(keyPrefix + key),
                ClaimValueCodec.inFlightPrefix(token), Long.toString(ttl.toMillis())));
        return changed != null && changed == 1L;
    }

    @Override
    public boolean release(String key, String token) {
        Long deleted = call(() -> redis.execute(RELEASE, List.of(keyPrefix + key),
                ClaimValueCodec.inFlightPrefix(token)));
        return deleted != null && deleted == 1L;
    }

    @Override
    public ClaimState lookup(String key, String payloadHash) {
        String value = call(() -> redis.opsForValue().get(keyPrefix + key));
        return value == null ? null : ClaimValueCodec.decode(value).answerFor(payloadHash);
    }

    @Override
    public void ping() {
        call(() -> redis.execute((RedisCallback<String>) connection -> connection.ping()));
    }

    private byte[] bytes(String key) {
        return (keyPrefix + key).getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException | RedisException e) {
            throw new DedupStoreUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
    }
}
