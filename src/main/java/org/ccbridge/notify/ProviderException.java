package org.ccbridge.notify;

/**
 * A provider did not take a notification. {@code retryable}: a timeout, a connection failure, 429
 * or 5xx (send again later with the same key); otherwise the provider refused it for good.
 */
public class ProviderException extends RuntimeException {

    private final boolean retryable;

    public ProviderException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
