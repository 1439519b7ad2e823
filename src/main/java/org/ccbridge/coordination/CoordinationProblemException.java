package org.ccbridge.coordination;

import java.time.Duration;
import java.util.Optional;

import org.springframework.http.HttpStatus;

/** A failure the coordination APIs answer with its own status and a problem+json body. */
public class CoordinationProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final Duration retryAfter;

    CoordinationProblemException(HttpStatus status, String title, String detail) {
        this(status, title, detail, null);
    }

    /** @param retryAfter the Retry-After of a 429 or 5xx, when it is known to be longer than a second */
    CoordinationProblemException(HttpStatus status, String title, String detail, Duration retryAfter) {
        super(detail);
        this.status = status;
        this.title = title;
        this.retryAfter = retryAfter;
    }

    /** When the caller may try again, where this failure knows. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
