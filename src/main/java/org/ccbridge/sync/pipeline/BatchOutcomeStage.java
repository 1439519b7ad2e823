package org.ccbridge.sync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** Stage {@code record-sync-batch-outcome}: each finished change of the batch counted and logged as the one-change path's outcome stage does. */
public class BatchOutcomeStage implements Processor {

    private final OutcomeStage outcomes;

    public BatchOutcomeStage(OutcomeStage outcomes) {
        this.outcomes = outcomes;
    }

    @Override
    public void process(Exchange exchange) {
        SyncBatch batch = SyncBatchEnds.batch(exchange);
        for (SyncBatch.Item item : batch.items()) {
            if (item.work().outcome() != null) {
                batch.status(item.index(), outcomes.record(item.work()));
            }
        }
    }
}
