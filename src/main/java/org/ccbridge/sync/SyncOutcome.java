package org.ccbridge.sync;

/**
 * What became of one change.
 *
 * @param status  the record's status afterwards
 * @param reason  why
 * @param writes  how many target writes were made
 * @param reviewId the review item created, or 0
 */
public record SyncOutcome(SyncStatus status, String reason, int writes, long reviewId) {
}
