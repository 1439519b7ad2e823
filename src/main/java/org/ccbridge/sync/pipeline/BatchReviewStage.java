package org.ccbridge.sync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.ReviewRecorder;
import org.ccbridge.sync.SyncPlan;

/** Stage {@code record-sync-batch-review}: each flagged or invalid change of the batch becomes a review item. */
public class BatchReviewStage implements Processor {

    private final ReviewRecorder recorder;

    public BatchReviewStage(ReviewRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void process(Exchange exchange) {
        for (SyncBatch.Item item : SyncBatchEnds.batch(exchange).items()) {
            SyncWork work = item.work();
            if (work.plan().route() == SyncPlan.Route.REVIEW) {
                work.plan(recorder.record(work.plan()));
            }
        }
    }
}
