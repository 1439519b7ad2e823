package org.ccbridge.notify;

import java.time.Duration;

/**
 * A provider did not take a notification; {@link #outcome()} says whether it may still have
 * delivered it and whether to send again later with the same key.
 */
public class ProviderException extends RuntimeException {

    /** How the provider's circuit breaker counts the call. */
    private enum Health {
        /** The provider answered, and refused the message (4xx): it is up. */
        ANSWERED,
        /** 5xx, refused credentials, no answer: counts toward opening the circuit. */
        FAULT,
        /** Not called, or our own fault: says nothing of the provider. */
        NOT_COUNTED
    }

    private final DeliveryOutcome outcome;
    private final Duration retryAfter;
    private final Health health;

    /** The provider answered and refused the message. */
    public ProviderException(String message, DeliveryOutcome outcome, Throwable cause) {
        this(message, outcome, Duration.ZERO, Health.ANSWERED, cause);
    }

    private ProviderException(String message, DeliveryOutcome outcome, Duration retryAfter, Health health,
                              Throwable cause) {
        super(message, cause);
        this.outcome = outcome;
        this.retryAfter = retryAfter;
        this.health = health;
    }

    /** The provider was not called (open circuit, no rate-limit permit, no token); it may be worth a try after {@code retryAfter}. */
    public static ProviderException notCalled(String message, Duration retryAfter, Throwable cause) {
        return new ProviderException(message, DeliveryOutcome.NOT_CALLED, retryAfter, Health.NOT_COUNTED, cause);
    }

    /** The provider failed (5xx, refused credentials, no answer): its circuit breaker counts it. */
    public static ProviderException providerFault(String message, DeliveryOutcome outcome, Throwable cause) {
        return new ProviderException(message, outcome, Duration.ZERO, Health.FAULT, cause);
    }

    /** The call failed for a reason of ours, which its circuit breaker does not count. */
    public static ProviderException notCounted(String message, DeliveryOutcome outcome, Throwable cause) {
        return new ProviderException(message, outcome, Duration.ZERO, Health.NOT_COUNTED, cause);
    }

    /** Whether the provider's circuit breaker counts this call at all. */
    public boolean counted() {
        return health != Health.NOT_COUNTED;
    }

    /** Whether the provider's circuit breaker counts this call as a failure. */
    public boolean countsAgainstProvider() {
        return health == Health.FAULT;
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
