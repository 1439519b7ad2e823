package org.ccbridge.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.ccbridge.auth.CachedToken;
import org.ccbridge.auth.RefreshBackoff;
import org.ccbridge.auth.TokenStore;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Access tokens in Redis: {@code <refreshAt ms>|<token>} under one key per client, with the TTL as
 * expiry; a refresh backoff as {@code <refusals>|<retryAt ms>} under another.
 */
public class RedisTokenStore implements TokenStore {


    private final StringRedisTemplate redis;
    private final String keyPrefix;

    public RedisTokenStore(StringRedisTemplate redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public Optional<CachedToken> get(String client) {
        String value = CoordinationCalls.redis(() -> redis.opsForValue().get(key(client)));
        if (value == null) {
            return Optional.empty();
        }
        int sep = value.indexOf('|');
        return Optional.of(new CachedToken(value.substring(sep + 1), Instant.ofEpochMilli(Long.parseLong(value.substring(0, sep)))));
    }

    @Override
    public void put(String client, CachedToken token, Duration ttl) {
        CoordinationCalls.redis(() -> {
            redis.opsForValue().set(key(client), token.refreshAt().toEpochMilli() + "|" + token.accessToken(), ttl);
            return null;
        });
    }

    @Override
    public boolean invalidate(String client, String accessToken) {
        Long deleted = CoordinationCalls.redis(() -> redis.execute(RedisScripts.DELETE_IF_NAMED, List.of(key(client)), accessToken));
        return deleted != null && deleted == 1L;
    }

    @Override
    public Optional<RefreshBackoff> refreshBackoff(String client) {
        String value = CoordinationCalls.redis(() -> redis.opsForValue().get(backoffKey(client)));
        if (value == null) {
            return Optional.empty();
        }
        int sep = value.indexOf('|');
        return Optional.of(new RefreshBackoff(Integer.parseInt(value.substring(0, sep)),
                Instant.ofEpochMilli(Long.parseLong(value.substring(sep + 1)))));
    }

    @Override
    public void putRefreshBackoff(String client, RefreshBackoff backoff, Duration ttl) {
        CoordinationCalls.redis(() -> {
            redis.opsForValue().set(backoffKey(client), backoff.refusals() + "|" + backoff.retryAt().toEpochMilli(), ttl);
            return null;
        });
    }

    @Override
    public void clearRefreshBackoff(String client) {
        CoordinationCalls.redis(() -> redis.delete(backoffKey(client)));
    }

    private String key(String client) {
        return keyPrefix + "oauth-token:" + client;
    }

    private String backoffKey(String client) {
        return keyPrefix + "oauth-backoff:" + client;
    }
}
