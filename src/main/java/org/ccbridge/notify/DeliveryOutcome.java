package org.ccbridge.notify;

/** What came of one provider call, as the notification ledger records it. */
public enum DeliveryOutcome {
    /**
     * The request is going out and no answer is recorded yet; left so when the process stopped
     * mid-call, in which case it may have been delivered.
     */
    IN_FLIGHT,
    /** The provider took the message (2xx). */
    ACCEPTED,
    /** The request went out but no answer came (a read timeout, a dropped connection): it may have been delivered. */
    UNCERTAIN,
    /** The provider answered with an error worth retrying (429, 5xx) or could not be reached. */
    FAILED,
    /** The provider refused the message for good (4xx other than 408 and 429). */
    REFUSED,
    /** No call was made: the provider's circuit was open or its rate limit gave no permit. */
    NOT_CALLED;

    /** Whether a later attempt may succeed. */
    boolean retryable() {
        return this != REFUSED;
    }

    /** Whether the customer may have received it, so that it counts against the dedup window. */
    boolean mayHaveDelivered() {
        return this == ACCEPTED || this == UNCERTAIN || this == IN_FLIGHT;
    }
}
