package org.ccbridge.notify;

/** A notification request that cannot be accepted as sent; the message says why, without its values. */
public class InvalidNotificationException extends RuntimeException {

    public InvalidNotificationException(String message) {
        super(message);
    }
}
