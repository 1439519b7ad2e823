package org.ccbridge.batch;

/** A gathered call got no result in time: the store behind it is slow or unreachable. */
public class GatherTimeoutException extends RuntimeException {

    public GatherTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
