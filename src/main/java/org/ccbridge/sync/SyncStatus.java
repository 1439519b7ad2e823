package org.ccbridge.sync;

/** The outcome of the last change processed for a record. */
public enum SyncStatus {
    /** Applied: a newer version, no concurrent edit to decide. */
    RESOLVED,
    /** Two edits of one version competed; the conflict matrix picked one and the other side was overwritten with it. */
    OVERWRITTEN,
    /** Sent to the review queue: too close to decide, or the loop breaker halted the record. */
    FLAGGED,
    /** Our own write coming back: dropped. */
    SKIPPED_ECHO,
    /** Older than the stored version: dropped. */
    SKIPPED_STALE,
    /** Changes no mapped field: nothing written, no version bump. */
    SKIPPED_NOOP,
    /** A value failed normalization or its target's pattern: nothing sent, parked for review. */
    INVALID
}
