package org.ccbridge.sync;

import java.util.Set;

/**
 * What to do with one change.
 *
 * @param action what the engine does
 * @param status the record's status afterwards
 * @param reason why, in words an operator reads in the admin API
 * @param conflicting for WRITE_BACK, the fields both edits changed: the stored values go back to
 *                    the incoming change's system, its other fields merge
 */
public record SyncDecision(Action action, SyncStatus status, String reason, Set<String> conflicting) {

    public SyncDecision(Action action, SyncStatus status, String reason) {
        this(action, status, reason, Set.of());
    }

    public enum Action {
        /** Lay the change over the record and write it to the other system. */
        APPLY,
        /**
         * Keep the stored values of the conflicting fields and write them back to the system the
         * losing change came from; merge its other fields like an applied change.
         */
        WRITE_BACK,
        /** Record the outcome; write nothing. */
        SKIP,
        /** Put the change in the review queue; write nothing. */
        REVIEW,
        /** The loop breaker tripped: halt the record and put the change in the review queue. */
        HALT
    }
}
