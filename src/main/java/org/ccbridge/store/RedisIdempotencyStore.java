package org.ccbridge.store;

import static org.ccbridge.store.RedisBinary.bytes;
import static org.ccbridge.store.RedisBinary.text;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.ScriptOutputType;

import org.ccbridge.coordination.IdempotencyClaim;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.StoredResponse;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Idempotency-Key records in Redis: a hash per key (token, hash, and once completed status,
 * headers, body) whose expiry is the lease, then the retention. Each operation is one script.
 */
public class RedisIdempotencyStore implements IdempotencyStore {

    private static final byte[] CLAIM = bytes("""
            if redis.call('EXISTS', KEYS[1]) == 0 then
              redis.call('HSET', KEYS[1], 'token', ARGV[1], 'hash', ARGV[2])
              redis.call('PEXPIRE', KEYS[1], ARGV[3])
              return {'CLAIMED'}
            end
            local held = redis.call('HMGET', KEYS[1], 'hash', 'status', 'headers', 'body')
            if held[1] ~= ARGV[2] then return {'MISMATCH'} end
            if not held[2] then return {'IN_FLIGHT'} end
            return {'COMPLETED', held[2], held[3], held[4]}
            """);

    private static final byte[] COMPLETE = bytes("""
            if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], 'status') == 1 then
              return 0
            end
            redis.call('HSET', KEYS[1], 'status', ARGV[2], 'headers', ARGV[3], 'body', ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """);

    private static final byte[] RELEASE = bytes("""
            if redis.call('HGET', KEYS[1], 'token') ~= ARGV[1] or redis.call('HEXISTS', KEYS[1], 'status') == 1 then
              return 0
            end
            return redis.call('DEL', KEYS[1])
            """);

    private final StringRedisTemplate redis;
    private final String keyPrefix;

    public RedisIdempotencyStore(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public IdempotencyClaim claim(String key, String requestHash, Duration lease) {
        String token = UUID.randomUUID().toString();
        List<?> answer = RedisBinary.eval(redis, CLAIM, ReturnType.MULTI, redisKey(key), bytes(token),
                bytes(requestHash), bytes(Long.toString(lease.toMillis())));
        return claimOf(answer, token);
    }

    /** All claims in one round trip; each script still runs atomically on its own key. */
    @Override
    public List<IdempotencyClaim> claimAll(List<ClaimRequest> requests, Duration lease) {
        List<Claiming> claimings = new ArrayList<>(requests.size());
        requests.forEach(request -> claimings.add(new Claiming(request, UUID.randomUUID().toString())));
        byte[] leaseMillis = bytes(Long.toString(lease.toMillis()));
        List<Object> answers = RedisBinary.together(redis, claimings, (commands, claiming) -> commands.eval(CLAIM,
                ScriptOutputType.MULTI, new byte[][] {redisKey(claiming.request().key())}, bytes(claiming.token()),
                bytes(claiming.request().requestHash()), leaseMillis));
        if (answers == null) {
            return IdempotencyStore.super.claimAll(requests, lease);
        }
        List<IdempotencyClaim> claims = new ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            claims.add(claimOf((List<?>) answers.get(i), claimings.get(i).token()));
        }
        return claims;
    }

    /** A claim being asked for, with the token it will hold if it is taken. */
    private record Claiming(ClaimRequest request, String token) {
    }

    private static IdempotencyClaim claimOf(List<?> answer, String token) {
        IdempotencyClaim.State state = IdempotencyClaim.State.valueOf(text((byte[]) answer.get(0)));
        return switch (state) {
            case CLAIMED -> IdempotencyClaim.claimed(token);
            case COMPLETED -> IdempotencyClaim.completed(new StoredResponse(Integer.parseInt(text((byte[]) answer.get(1))),
                    StoredResponseHeaders.read(text((byte[]) answer.get(2))), (byte[]) answer.get(3)));
            default -> IdempotencyClaim.of(state);
        };
    }

    @Override
    public boolean complete(String key, String token, StoredResponse response, Duration ttl) {
        Long done = RedisBinary.eval(redis, COMPLETE, ReturnType.INTEGER, redisKey(key), completeArguments(token, response,
                bytes(Long.toString(ttl.toMillis()))));
        return done != null && done == 1L;
    }

    /** All completions in one round trip. */
    @Override
    public List<Boolean> completeAll(List<Completion> completions, Duration ttl) {
        byte[] ttlMillis = bytes(Long.toString(ttl.toMillis()));
        List<Object> answers = RedisBinary.together(redis, completions, (commands, completion) -> commands.eval(COMPLETE,
                ScriptOutputType.INTEGER, new byte[][] {redisKey(completion.key())},
                completeArguments(completion.token(), completion.response(), ttlMillis)));
        if (answers == null) {
            return IdempotencyStore.super.completeAll(completions, ttl);
        }
        List<Boolean> done = new ArrayList<>(answers.size());
        answers.forEach(answer -> done.add(answer instanceof Long value && value == 1L));
        return done;
    }

    private static byte[][] completeArguments(String token, StoredResponse response, byte[] ttlMillis) {
        return new byte[][] {bytes(token), bytes(Integer.toString(response.status())),
            bytes(StoredResponseHeaders.write(response.headers())), response.body(), ttlMillis};
    }

    @Override
    public boolean release(String key, String token) {
        Long released = RedisBinary.eval(redis, RELEASE, ReturnType.INTEGER, redisKey(key), bytes(token));
        return released != null && released == 1L;
    }

    private byte[] redisKey(String key) {
        return bytes(keyPrefix + "idempotency:" + key);
    }
}
