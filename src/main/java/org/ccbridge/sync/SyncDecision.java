package org.ccbridge.sync;

/**
 * What to do with one change.
 *
 * @param action what the engine does
 * @param status the record's status afterwards
 * @param reason why, in words an operator reads in the admin API
 */
public record SyncDecision(Action action, SyncStatus status, String reason) {

    public enum Action {
        /** Lay the change over the record and write it to the other system. */
        APPLY,
        /** Keep the stored fields and write them back to the system the losing change came from. */
        WRITE_BACK,
        /** Record the outcome; write nothing. */
        SKIP,
        /** Put the change in the review queue; write nothing. */
        REVIEW,
        /** The loop breaker tripped: halt the record and put the change in the review queue. */
        HALT
    }
}
