package org.ccbridge.notify;

/**
 * A provider did not take a notification; {@link #outcome()} says whether it may still have
 * delivered it and whether to send again later with the same key.
 */
public class ProviderException extends RuntimeException {

    private final DeliveryOutcome outcome;

    public ProviderException(String message, DeliveryOutcome outcome, Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
    }

    public DeliveryOutcome outcome() {
        return outcome;
    }

    public boolean retryable() {
        return outcome.retryable();
    }
}
