package org.ccbridge.notify;

/** The first request with this Idempotency-Key is still being accepted: 409, retry shortly. */
public class NotificationInFlightException extends RuntimeException {

    public NotificationInFlightException() {
        super("a request with this Idempotency-Key is still in flight; retry shortly");
    }
}
