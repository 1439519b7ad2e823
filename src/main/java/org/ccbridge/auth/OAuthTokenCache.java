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
import org.ccbridge.coordination.JitteredBackoff;
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
 *
 * <p>A refused or failed token request puts the client in a backoff that every instance sees in
 * the shared store ({@link RefreshBackoff}): until it ends, callers without a token get
 * {@link TokenUnavailableException} at once and nobody asks the endpoint. Platforms answer 429 to
 * rapid token requests and suspend credentials after repeated failures, so a refusing endpoint
 * must see one request per backoff, not one per caller.
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
    private final JitteredBackoff backoff;

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
        this.backoff = new JitteredBackoff(properties.refreshBackoff().initial(), properties.refreshBackoff().max());
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
            refuseWhileBackingOff(client);
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
                    if (stored.isPresent()) {
                        return stored.get().accessToken();
                    }
                    // the refresh this one waited for may have been refused
                    return fetch(client, settings, refuseWhileBackingOff(client));
                } finally {
                    locks.release(resource, owner);
                }
            }
            Optional<CachedToken> refreshed = valid(client);
            if (refreshed.isPresent()) {
                return refreshed.get().accessToken();
            }
            refuseWhileBackingOff(client);
            if (System.nanoTime() > deadline) {
                throw new TokenUnavailableException("another caller is refreshing the token of " + client
                        + " and none arrived within " + properties.lockWait().toMillis() + " ms", null);
            }
            Thread.sleep(POLL_MS);
        }
    }

    private String fetch(String client, OAuthClientProperties.Client settings, Optional<RefreshBackoff> past) {
        TokenEndpointClient.IssuedToken issued;
        try {
            issued = endpoint.fetch(client, settings);
        } catch (TokenUnavailableException refused) {
            throw backOff(client, refused, past.map(RefreshBackoff::refusals).orElse(0) + 1);
        }
        Duration ttl = cacheTtl(issued.lifetime());
        tokens.put(client, new CachedToken(issued.accessToken(), clock.instant().plus(ttl)), ttl);
        if (past.isPresent()) {
            tokens.clearRefreshBackoff(client);
        }
        LOG.info("Fetched an access token for {}, handed out for {} s", client, ttl.toSeconds());
        return issued.accessToken();
    }

    /**
     * @return the client's backoff, when one is kept but over
     * @throws TokenUnavailableException while it runs
     */
    private Optional<RefreshBackoff> refuseWhileBackingOff(String client) {
        Optional<RefreshBackoff> kept = tokens.refreshBackoff(client);
        if (kept.isPresent() && clock.instant().isBefore(kept.get().retryAt())) {
            Duration left = Duration.between(clock.instant(), kept.get().retryAt());
            throw new TokenUnavailableException("token requests of " + client + " back off after "
                    + kept.get().refusals() + " refused; the next in " + secondsUp(left) + " s", null, left);
        }
        return kept;
    }

    /** Records the backoff after the {@code refusals}th refused request in a row, for every instance. */
    private TokenUnavailableException backOff(String client, TokenUnavailableException refused, int refusals) {
        Duration pause = Duration.ofMillis(backoff.millis(refusals));
        if (refused.retryAfter().isPresent() && refused.retryAfter().get().compareTo(pause) > 0) {
            pause = refused.retryAfter().get();
        }
        // kept a longest pause past its end, so that the next refusal still counts as one in a row
        tokens.putRefreshBackoff(client, new RefreshBackoff(refusals, clock.instant().plus(pause)),
                pause.plus(backoff.max()));
        LOG.warn("Token request of {} refused ({} in a row): {}; no instance asks again for {} s", client, refusals,
                refused.getMessage(), secondsUp(pause));
        return new TokenUnavailableException(refused.getMessage() + "; the next token request in " + secondsUp(pause)
                + " s", refused.getCause(), pause);
    }

    private static long secondsUp(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

    private Optional<CachedToken> valid(String client) {
        return tokens.get(client).filter(token -> clock.instant().isBefore(token.refreshAt()));
    }
}
