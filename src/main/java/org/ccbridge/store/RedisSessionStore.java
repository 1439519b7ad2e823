package org.ccbridge.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.ccbridge.coordination.SessionContent;
import org.ccbridge.coordination.SessionStore;
import org.ccbridge.coordination.StoredSession;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Session state in Redis: one hash per session (version, content, compressed, type, region) with
 * the TTL as its expiry. Writes are scripts that compare the version first, so they are atomic.
 * Content is binary (possibly gzip), so commands go through the raw connection, not the string
 * serializers.
 */
public class RedisSessionStore implements SessionStore {

    private static final byte[] CREATE = script("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
            redis.call('HSET', KEYS[1], 'version', 1, 'content', ARGV[1], 'compressed', ARGV[2], 'type', ARGV[3], 'region', ARGV[4])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            return 1
            """);

    private static final byte[] REPLACE = script("""
            local current = redis.call('HGET', KEYS[1], 'version')
            if not current or current ~= ARGV[1] then return 0 end
            local version = tonumber(current) + 1
            redis.call('HSET', KEYS[1], 'version', version, 'content', ARGV[2], 'compressed', ARGV[3], 'type', ARGV[4], 'region', ARGV[5])
            redis.call('PEXPIRE', KEYS[1], ARGV[6])
            return version
            """);

    private static final byte[] DELETE = script("""
            if ARGV[1] ~= '' then
              local current = redis.call('HGET', KEYS[1], 'version')
              if not current or current ~= ARGV[1] then return 0 end
            end
            return redis.call('DEL', KEYS[1])
            """);

    private final StringRedisTemplate redis;
    private final String keyPrefix;

    public RedisSessionStore(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public Optional<StoredSession> get(String key) {
        Map<byte[], byte[]> fields = CoordinationCalls.redis(() -> redis.execute((RedisCallback<Map<byte[], byte[]>>) connection ->
                connection.hashCommands().hGetAll(redisKey(key))));
        if (fields == null || fields.isEmpty()) {
            return Optional.empty();
        }
        Map<String, byte[]> byName = new HashMap<>();
        fields.forEach((name, value) -> byName.put(text(name), value));
        String region = text(byName.get("region"));
        return Optional.of(new StoredSession(key, Long.parseLong(text(byName.get("version"))), new SessionContent(
                byName.get("content"), "1".equals(text(byName.get("compressed"))), text(byName.get("type")),
                region.isEmpty() ? null : region)));
    }

    @Override
    public Optional<StoredSession> create(String key, SessionContent content, Duration ttl) {
        Long created = eval(CREATE, key, content.bytes(), flag(content), bytes(content.contentType()),
                bytes(content.region()), bytes(Long.toString(ttl.toMillis())));
        return created != null && created == 1L ? Optional.of(new StoredSession(key, 1, content)) : Optional.empty();
    }

    @Override
    public Optional<StoredSession> replace(String key, long expectedVersion, SessionContent content, Duration ttl) {
        Long version = eval(REPLACE, key, bytes(Long.toString(expectedVersion)), content.bytes(), flag(content),
                bytes(content.contentType()), bytes(content.region()), bytes(Long.toString(ttl.toMillis())));
        return version == null || version == 0L ? Optional.empty() : Optional.of(new StoredSession(key, version, content));
    }

    @Override
    public boolean delete(String key, Long expectedVersion) {
        Long deleted = eval(DELETE, key, bytes(expectedVersion == null ? "" : Long.toString(expectedVersion)));
        return deleted != null && deleted == 1L;
    }

    private Long eval(byte[] script, String key, byte[]... args) {
        return RedisBinary.eval(redis, script, ReturnType.INTEGER, redisKey(key), args);
    }

    private byte[] redisKey(String key) {
        return bytes(keyPrefix + "session:" + key);
    }

    private static byte[] flag(SessionContent content) {
        return bytes(content.compressed() ? "1" : "0");
    }

    private static byte[] script(String text) {
        return bytes(text);
    }

    private static byte[] bytes(String text) {
        return RedisBinary.bytes(text);
    }

    private static String text(byte[] bytes) {
        return RedisBinary.text(bytes);
    }
}
