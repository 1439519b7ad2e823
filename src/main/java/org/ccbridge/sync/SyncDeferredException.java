package org.ccbridge.sync;

/**
 * A change that could not be decided because the record's lock or a store (Redis, the database)
 * kept failing through every attempt. Nothing is wrong with the change: the route leaves the
 * exception unhandled and the message goes back to its queue.
 */
public class SyncDeferredException extends RuntimeException {

    public SyncDeferredException(String message, Throwable cause) {
        super(message, cause);
    }
}
