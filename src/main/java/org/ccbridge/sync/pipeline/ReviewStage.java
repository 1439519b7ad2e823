package org.ccbridge.sync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.ReviewRecorder;

/** Stage {@code record-sync-review}: a flagged or invalid change becomes an item in the review queue. */
public class ReviewStage implements Processor {

    private final ReviewRecorder recorder;

    public ReviewStage(ReviewRecorder recorder) {
        this.recorder = recorder;
    }

    @Override
    public void process(Exchange exchange) {
        SyncWork work = exchange.getMessage().getBody(SyncWork.class);
        work.plan(recorder.record(work.plan()));
    }
}
