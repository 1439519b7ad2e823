package org.ccbridge.auth;

import java.time.Duration;
import java.util.Optional;

/** No valid token could be had in time; callers answer 503 and retry later. */
public class TokenUnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public TokenUnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param retryAfter when a token may be had again, as the endpoint or the refresh backoff says; null if unknown */
    public TokenUnavailableException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When asking again may give a token, where that is known. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
