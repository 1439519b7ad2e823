package org.ccbridge.sync;

import java.util.Map;
import java.util.Optional;

import org.ccbridge.crm.TargetWrite;

/**
 * What one decided change does, before anything is done: the writes to each system, the record
 * state to commit once they succeeded, and for a change that goes to review the item to add.
 *
 * @param stored the record state the decision was made against; empty for a record's first change
 * @param writes per receiving system, the write it gets; a system without a target gets none
 * @param next   the state to commit; null until {@link #reviewed} for a change that goes to review
 * @param review the review item to add, or null
 */
public record SyncPlan(RecordChange change, Optional<RecordState> stored, SyncDecision decision,
                       Map<SyncSystem, TargetWrite> writes, RecordState next, PlannedReview review,
                       SyncOutcome outcome) {

    /** How the route branches on a plan. */
    public enum Route {
        /** Nothing to write: commit the recorded outcome. */
        SKIP,
        /** Add a review item, then commit. */
        REVIEW,
        /** Write to the systems in {@link #writes}, then commit. */
        WRITE
    }

    /** The review item a flagged or invalid change becomes. */
    public record PlannedReview(ReviewItem.Kind kind, SyncStatus status, String reason, RecordState base, boolean halt) {
    }

    public Route route() {
        if (review != null) {
            return Route.REVIEW;
        }
        return writes.isEmpty() ? Route.SKIP : Route.WRITE;
    }

    public boolean writesTo(SyncSystem system) {
        return writes.containsKey(system);
    }

    /** The plan once its review item exists: the state names the item. */
    public SyncPlan reviewed(long reviewId) {
        RecordState flagged = review.base().withOutcome(review.status(), review.reason() + " (review " + reviewId + ")",
                change.eventId()).halted(review.halt());
        return new SyncPlan(change, stored, decision, writes, flagged, review,
                new SyncOutcome(review.status(), review.reason(), 0, reviewId));
    }
}
