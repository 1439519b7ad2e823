package org.ccbridge.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.StoreRefusedDataException;
import org.ccbridge.coordination.LockStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client-credentials access tokens, cached in the shared store and refreshed by one caller at a
 * time across every instance.
 *
 * <p>A caller that finds no token takes the refresh lock of that client, looks again (another
 * instance may have just stored one), and only then asks the token endpoint. Every other caller
 * waits for the token to appear, up to {@code ccbridge.oauth.lock-wait}, and then gets
 * {@link TokenUnavailableException} (503 for its own caller): a hundred callers on an expired token
 * cause one token request, not a hundred. Within one instance only one caller per client deals
 * with the shared store; the others wait for its result.
 */
public class OAuthTokenCache {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenCache.class);
    private static final Duration REFRESH_MARGIN = Duration.ofSeconds(300);
    private static final Duration LOCK_LEASE = Duration.ofSeconds(30);
    private static final long POLL_MS = 20;

    private final OAuthClientProperties properties;
    private final TokenStore tokens;
    private final LockStore locks;
    private final TokenEndpointClient endpoint;
    private final Clock clock;
    private final String instance = "oauth-" + UUID.randomUUID();
    private final Map<String, CompletableFuture<String>> refreshing = new ConcurrentHashMap<>();

    public OAuthTokenCache(OAuthClientProperties properties, TokenStore tokens, LockStore locks, Clock clock) {
        this(properties, tokens, locks, new TokenEndpointClient(), clock);
    }

    OAuthTokenCache(OAuthClientProperties properties, TokenStore tokens, LockStore locks, TokenEndpointClient endpoint,
                    Clock clock) {
        this.properties = properties;
        this.tokens = tokens;
        this.locks = locks;
        this.endpoint = endpoint;
        this.clock = clock;
    }

    /**
     * How long a token is handed out: {@code max(expires_in - 300 s, expires_in / 2)}. A Genesys
     * client can be set to tokens of 300 s, where a fixed margin would leave nothing.
     */
    static Duration cacheTtl(Duration lifetime) {
        Duration withMargin = lifetime.minus(REFRESH_MARGIN);
        Duration half = lifetime.dividedBy(2);
        return withMargin.compareTo(half) > 0 ? withMargin : half;
    }

    /** Whether {@code client} is configured. */
    public boolean knows(String client) {
        return properties.clients().containsKey(client);
    }

    /** A valid access token for {@code client}. */
    public String token(String client) {
        OAuthClientProperties.Client settings = properties.clients().get(client);
        if (settings == null) {
            throw new IllegalArgumentException("no OAuth client is configured as " + client);
        }
        try {
            Optional<CachedToken> cached = valid(client);
            if (cached.isPresent()) {
                return cached.get().accessToken();
            }
            return refreshOnce(client, settings);
        } catch (CoordinationStoreUnavailableException | StoreRefusedDataException e) {
            throw new TokenUnavailableException("token store unavailable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailableException("interrupted while waiting for a token", e);
        }
    }

    /**
     * Calls with a token; when the answer says the token was refused (a 401), drops that token,
     * fetches a new one and calls once more. A second refusal is returned as it is.
     */
    public <T> T callWithToken(String client, Function<String, T> call, Predicate<T> refused) {
        String token = token(client);
        T answer = call.apply(token);
        if (!refused.test(answer)) {
            return answer;
        }
        invalidate(client, token);
        return call.apply(token(client));
    }

    /** Drops {@code accessToken} unless another caller has replaced it already. */
    public void invalidate(String client, String accessToken) {
        try {
            tokens.invalidate(client, accessToken);
        } catch (CoordinationStoreUnavailableException | StoreRefusedDataException e) {
            throw new TokenUnavailableException("token store unavailable: " + e.getMessage(), e);
        }
    }

    /**
     * One refresh per client in this instance at a time: its other callers wait for that one's
     * result instead of each polling the shared store.
     */
    private String refreshOnce(String client, OAuthClientProperties.Client settings) throws InterruptedException {
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> running = refreshing.putIfAbsent(client, mine);
        if (running != null) {
            try {
                // the caller it waits for waits lock-wait for another instance, or one token request
                return running.get(properties.lockWait().plus(settings.timeout()).toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof TokenUnavailableException unavailable ? unavailable
                        : new TokenUnavailableException("token refresh failed: " + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new TokenUnavailableException("no token for " + client + " in time", e);
            }
        }
        try {
            String token = refreshOrWait(client, settings);
            mine.complete(token);
            return token;
        } catch (RuntimeException | InterruptedException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            refreshing.remove(client, mine);
        }
    }

    private String refreshOrWait(String client, OAuthClientProperties.Client settings) throws InterruptedException {
        // ccbridge's own locks start with #: no API client's lock (<client>:<resource>) can take it
        String resource = "#oauth-token:" + client;
        String owner = instance + ":" + Thread.currentThread().getId();
        long deadline = System.nanoTime() + properties.lockWait().toNanos();
        while (true) {
            if (locks.acquire(resource, owner, LOCK_LEASE).isPresent()) {
                try {
                    Optional<CachedToken> stored = valid(client);
                    return stored.isPresent() ? stored.get().accessToken() : fetch(client, settings);
                } finally {
                    locks.release(resource, owner);
                }
            }
            Optional<CachedToken> refreshed = valid(client);
            if (refreshed.isPresent()) {
                return refreshed.get().accessToken();
            }
            if (System.nanoTime() > deadline) {
                throw new TokenUnavailableException("another caller is refreshing the token of " + client
                        + " and none arrived within " + properties.lockWait().toMillis() + " ms", null);
            }
            Thread.sleep(POLL_MS);
        }
    }

    private String fetch(String client, OAuthClientProperties.Client settings) {
        TokenEndpointClient.IssuedToken issued = endpoint.fetch(client, settings);
        Duration ttl = cacheTtl(issued.lifetime());
        tokens.put(client, new CachedToken(issued.accessToken(), clock.instant().plus(ttl)), ttl);
        LOG.info("Fetched an access token for {}, handed out for {} s", client, ttl.toSeconds());
        return issued.accessToken();
    }

    private Optional<CachedToken> valid(String client) {
        return tokens.get(client).filter(token -> clock.instant().isBefore(token.refreshAt()));
    }
}
