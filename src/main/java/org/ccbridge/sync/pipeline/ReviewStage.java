package org.ccbridge.sync.pipeline;

import org.ccbridge.sync.ReviewRecorder;

/** Stage {@code record-sync-review}: a flagged or invalid change becomes an item in the review queue. */
public class ReviewStage {

    private final ReviewRecorder recorder;

    public ReviewStage(ReviewRecorder recorder) {
        this.recorder = recorder;
    }

    public SyncWork review(SyncWork work) {
        work.plan(recorder.record(work.plan()));
        return work;
    }
}
