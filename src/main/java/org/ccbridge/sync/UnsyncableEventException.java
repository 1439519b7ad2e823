package org.ccbridge.sync;

/**
 * An event the sync engine cannot act on at all (not JSON, no record key, unknown object). It goes
 * to the dead-letter queue at once: retrying cannot help, and dropping it would lose it silently.
 */
public class UnsyncableEventException extends RuntimeException {

    public UnsyncableEventException(String message) {
        super(message);
    }
}
