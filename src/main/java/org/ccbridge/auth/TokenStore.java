package org.ccbridge.auth;

import java.time.Duration;
import java.util.Optional;

/**
 * Port for the access tokens shared by every instance. Every operation throws
 * {@link org.ccbridge.coordination.CoordinationStoreUnavailableException} when the store cannot
 * answer.
 */
public interface TokenStore {

    /** The token of {@code client}, while its TTL runs. */
    Optional<CachedToken> get(String client);

    /** Stores the token of {@code client} for {@code ttl}, replacing any other. */
    void put(String client, CachedToken token, Duration ttl);

    /**
     * Removes the token of {@code client} if it is still {@code accessToken}: a token another
     * instance has just fetched must survive the invalidation of the one it replaced.
     */
    boolean invalidate(String client, String accessToken);

    /** The backoff of {@code client}'s token requests after refused ones, while it is kept. */
    Optional<RefreshBackoff> refreshBackoff(String client);

    /** Keeps {@code backoff} of {@code client} for {@code ttl}, replacing any other. */
    void putRefreshBackoff(String client, RefreshBackoff backoff, Duration ttl);

    /** Forgets the backoff of {@code client}: a token was issued. */
    void clearRefreshBackoff(String client);
}
