package org.ccbridge.sync;

/**
 * A record write carried a fencing token lower than one that already wrote the row: its lock
 * was lost and another instance has taken the record over. The change is retried.
 */
public class StaleFenceTokenException extends RuntimeException {

    public StaleFenceTokenException(String record, long token) {
        super("record " + record + " was written under a newer lock than fencing token " + token);
    }
}
