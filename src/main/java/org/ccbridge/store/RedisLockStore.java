package org.ccbridge.store;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.lettuce.core.ScriptOutputType;


import org.ccbridge.coordination.LockLease;
import org.ccbridge.coordination.LockStore;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Fenced locks in Redis: the lock key holds {@code <token>|<owner>} with the lease as its expiry;
 * a second key per resource, without expiry, holds the last token issued. Each operation is one
 * script, so it is atomic.
 *
 * <p>A new token is the greater of the last token plus one and Redis's clock in microseconds:
 * tokens rise even after a Redis restart that lost the counter (no persistence), as long as its
 * clock does not go back.
 */
public class RedisLockStore implements LockStore {

    // KEYS: lock, fence. ARGV: owner, ttl ms. Returns the token, or false while another owns it.
    private static final RedisScript<String> ACQUIRE = RedisScript.of("""
            local held = redis.call('GET', KEYS[1])
            if held then
              local sep = string.find(held, '|', 1, true)
              if string.sub(held, sep + 1) ~= ARGV[1] then return false end
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return string.sub(held, 1, sep - 1)
            end
            local now = redis.call('TIME')
            local floor = tonumber(now[1]) * 1000000 + tonumber(now[2])
            local last = tonumber(redis.call('GET', KEYS[2]) or '0')
            local token = string.format('%.0f', math.max(last + 1, floor))
            redis.call('SET', KEYS[2], token)
            redis.call('SET', KEYS[1], token .. '|' .. ARGV[1], 'PX', ARGV[2])
            return token
            """, String.class);

    // KEYS: lock. ARGV: owner, ttl ms. Returns the token, or false when owner does not hold it.
    private static final RedisScript<String> RENEW = RedisScript.of("""
            local held = redis.call('GET', KEYS[1])
            if not held then return false end
            local sep = string.find(held, '|', 1, true)
            if string.sub(held, sep + 1) ~= ARGV[1] then return false end
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return string.sub(held, 1, sep - 1)
            """, String.class);


    private static final byte[] ACQUIRE_BYTES = ACQUIRE.getScriptAsString().getBytes(StandardCharsets.UTF_8);
    private static final byte[] RELEASE_BYTES =
            RedisScripts.DELETE_IF_NAMED.getScriptAsString().getBytes(StandardCharsets.UTF_8);

    private final StringRedisTemplate redis;
    private final String keyPrefix;
    private final Clock clock;

    public RedisLockStore(StringRedisTemplate redis, String keyPrefix, Clock clock) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.clock = clock;
    }

    @Override
    public Optional<LockLease> acquire(String resource, String owner, Duration ttl) {
        long requested = clock.millis();
        String token = CoordinationCalls.redis(() -> redis.execute(ACQUIRE, List.of(lockKey(resource), fenceKey(resource)),
                owner, Long.toString(ttl.toMillis())));
        return lease(resource, owner, token, requested, ttl);
    }

    @Override
    public Optional<LockLease> renew(String resource, String owner, Duration ttl) {
        long requested = clock.millis();
        String token = CoordinationCalls.redis(() -> redis.execute(RENEW, List.of(lockKey(resource)), owner,
                Long.toString(ttl.toMillis())));
        return lease(resource, owner, token, requested, ttl);
    }

    @Override
    public boolean release(String resource, String owner) {
        Long deleted = CoordinationCalls.redis(() -> redis.execute(RedisScripts.DELETE_IF_NAMED, List.of(lockKey(resource)), owner));
        return deleted != null && deleted == 1L;
    }

    /**
     * All acquisitions in one round trip: the scripts are sent together on the shared connection
     * and their answers awaited together; each still runs atomically on its own keys. (Spring's
     * executePipelined would open a dedicated connection per batch.)
     */
    @Override
    public List<Optional<LockLease>> acquireAll(List<Request> requests) {
        long requested = clock.millis();
        List<Object> tokens = RedisBinary.together(redis, requests, (commands, request) -> commands.eval(ACQUIRE_BYTES, ScriptOutputType.VALUE,
                new byte[][] {bytes(lockKey(request.resource())), bytes(fenceKey(request.resource()))},
                bytes(request.owner()), bytes(Long.toString(request.ttl().toMillis()))));
        if (tokens == null) {
            return LockStore.super.acquireAll(requests);
        }
        List<Optional<LockLease>> leases = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            Object token = tokens.get(i);
            leases.add(lease(request.resource(), request.owner(),
                    token instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8) : null, requested, request.ttl()));
        }
        return leases;
    }

    /** All releases in one round trip, as {@link #acquireAll}. */
    @Override
    public List<Boolean> releaseAll(List<Request> requests) {
        List<Object> deleted = RedisBinary.together(redis, requests, (commands, request) -> commands.eval(RELEASE_BYTES,
                ScriptOutputType.INTEGER, new byte[][] {bytes(lockKey(request.resource()))}, bytes(request.owner())));
        if (deleted == null) {
            return LockStore.super.releaseAll(requests);
        }
        List<Boolean> released = new ArrayList<>(requests.size());
        deleted.forEach(count -> released.add(count instanceof Long value && value == 1L));
        return released;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    // The lease is counted from before the request: the holder must not believe it has longer
    // than Redis gives it.
    private static Optional<LockLease> lease(String resource, String owner, String token, long requested,
                                             Duration ttl) {
        if (token == null) {
            return Optional.empty();
        }
        return Optional.of(new LockLease(resource, owner, Long.parseLong(token),
                Instant.ofEpochMilli(requested).plus(ttl)));
    }

    // the {resource} hash tag keeps both keys of a script in one Redis Cluster slot
    private String lockKey(String resource) {
        return keyPrefix + "lock:{" + resource + "}";
    }

    private String fenceKey(String resource) {
        return keyPrefix + "fence:{" + resource + "}";
    }
}
