package org.ccbridge.auth;

import java.time.Instant;

/**
 * An access token as the cache holds it.
 *
 * @param accessToken the bearer token
 * @param refreshAt   when the cache stops handing it out, ahead of its expiry
 */
public record CachedToken(String accessToken, Instant refreshAt) {

    @Override
    public String toString() {
        // never print the token itself
        return "CachedToken[refreshAt=" + refreshAt + "]";
    }
}
