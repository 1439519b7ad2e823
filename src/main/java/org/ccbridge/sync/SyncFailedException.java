package org.ccbridge.sync;

/**
 * A change that could not be synced: rejected by the target, or still failing after the
 * configured attempts. The route dead-letters it with the error and the attempt count.
 */
public class SyncFailedException extends RuntimeException {

    private final int attempts;

    public SyncFailedException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    public int attempts() {
        return attempts;
    }
}
