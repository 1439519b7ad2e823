package org.ccbridge.coordination;

/** The store behind a coordination service did not answer; callers answer 503, never 2xx. */
public class CoordinationStoreUnavailableException extends RuntimeException {

    public CoordinationStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
