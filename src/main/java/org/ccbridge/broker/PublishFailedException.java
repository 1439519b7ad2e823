package org.ccbridge.broker;

/**
 * The broker did not confirm a publish (nack, unroutable, timeout or connection failure): the
 * event is not known to be durable, so it must not be acknowledged.
 */
public class PublishFailedException extends RuntimeException {

    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
