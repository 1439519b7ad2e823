package org.ccbridge.dedup;

/**
 * The dedup store did not answer within its budget. Nothing may be acknowledged then.
 */
public class DedupStoreUnavailableException extends RuntimeException {

    public DedupStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
