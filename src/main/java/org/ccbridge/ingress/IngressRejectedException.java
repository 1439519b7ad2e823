package org.ccbridge.ingress;

import java.time.Duration;

/**
 * A delivery that gets a client or availability error, rendered as problem+json by the route's
 * error handling. Messages never contain secrets or payload content.
 */
public class IngressRejectedException extends RuntimeException {

    private final int status;
    private final String title;
    private final IngressOutcome outcome;
    private final Duration retryAfter;

    public IngressRejectedException(int status, String title, String detail, IngressOutcome outcome) {
        this(status, title, detail, outcome, null);
    }

    public IngressRejectedException(int status, String title, String detail, IngressOutcome outcome, Duration retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.outcome = outcome;
        this.retryAfter = retryAfter;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public IngressOutcome outcome() {
        return outcome;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    static IngressRejectedException invalid(String detail) {
        return new IngressRejectedException(400, "Invalid event", detail, IngressOutcome.INVALID);
    }
}
