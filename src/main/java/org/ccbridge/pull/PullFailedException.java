package org.ccbridge.pull;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A call to a platform for a pulled source's events failed; the source's cursor stays where it was. */
public class PullFailedException extends RuntimeException {

    private final transient Duration retryAfter;

    public PullFailedException(String message) {
        this(message, (Duration) null);
    }

    public PullFailedException(String message, Throwable cause) {
        super(message, cause);
        this.retryAfter = null;
    }

    /** @param retryAfter how long the platform asked to wait before the next call; null when it did not */
    public PullFailedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** Sends {@code request}; a platform that cannot be reached fails the pull. */
    static HttpResponse<byte[]> send(HttpClient http, HttpRequest request, String platform) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new PullFailedException(platform + " unreachable: " + e.getClass().getSimpleName() + " "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullFailedException("interrupted while calling " + platform, e);
        }
    }

    /** The wait the platform asked for (a 429's or 503's Retry-After). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
