package org.ccbridge.notify;

import java.time.Duration;

/**
 * A provider did not take a notification; {@link #outcome()} says whether it may still have
 * delivered it and whether to send again later with the same key.
 */
public class ProviderException extends RuntimeException {

    private final DeliveryOutcome outcome;
    private final Duration retryAfter;

    public ProviderException(String message, DeliveryOutcome outcome, Throwable cause) {
        this(message, outcome, Duration.ZERO, cause);
    }

    private ProviderException(String message, DeliveryOutcome outcome, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.retryAfter = retryAfter;
    }

    /** The provider was not called (open circuit, no rate-limit permit, no token); it may be worth a try after {@code retryAfter}. */
    public static ProviderException notCalled(String message, Duration retryAfter, Throwable cause) {
        return new ProviderException(message, DeliveryOutcome.NOT_CALLED, retryAfter, cause);
    }

    /** For a provider that was not called: when to try it again. */
    public Duration retryAfter() {
        return retryAfter;
    }

    public DeliveryOutcome outcome() {
        return outcome;
    }

    public boolean retryable() {
        return outcome.retryable();
    }
}
