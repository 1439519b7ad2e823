package org.ccbridge.notify;

/** An Idempotency-Key used before with another request: 422, nothing is sent. */
public class NotificationKeyReusedException extends RuntimeException {

    public NotificationKeyReusedException() {
        super("this Idempotency-Key was used with another notification request");
    }
}
