package org.ccbridge.sync;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Adds the review item of a flagged or invalid change; the state to commit then names the item. */
public class ReviewRecorder {

    private static final Logger LOG = LoggerFactory.getLogger(ReviewRecorder.class);

    private final ReviewQueue reviews;
    private final Clock clock;

    public ReviewRecorder(ReviewQueue reviews, Clock clock) {
        this.reviews = reviews;
        this.clock = clock;
    }

    public SyncPlan record(SyncPlan plan) {
        SyncPlan.PlannedReview review = plan.review();
        RecordChange change = plan.change();
        long id = reviews.add(change.object(), change.recordKey(), review.kind(), review.reason(), review.base(),
                change.fields(), change.version(), change.system(), change.eventId(), clock.instant());
        if (review.kind() == ReviewItem.Kind.INVALID) {
            LOG.warn("Record {} parked as INVALID (review {}): {}", change.recordName(), id, review.reason());
        } else {
            LOG.warn("Record {} flagged for review {}: {}", change.recordName(), id, review.reason());
        }
        return plan.reviewed(id);
    }
}
