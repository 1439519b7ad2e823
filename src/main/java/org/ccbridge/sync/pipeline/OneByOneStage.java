package org.ccbridge.sync.pipeline;

import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hand-over from the batch stages to the one-change path: {@link #writeFailure()} is stage
 * {@code record-sync-one-batch-failure}, {@link #fallBack()} the batched lane's last resort
 * ({@code sync-batch-errors}).
 */
public final class OneByOneStage {

    private static final Logger LOG = LoggerFactory.getLogger(OneByOneStage.class);

    private OneByOneStage() {
    }

    /**
     * Fails the event's first run on its own with the failure of the batch's write of it, so that
     * the lane's error handling counts that write as the first attempt; later runs pass.
     */
    public static Processor writeFailure() {
        return exchange -> {
            SyncBatch batch = SyncBatchEnds.batch(exchange);
            Integer position = exchange.getProperty(ExchangePropertyKey.SPLIT_INDEX, Integer.class);
            RuntimeException failure = batch == null || position == null ? null : batch.takeWriteFailure(position);
            if (failure != null) {
                throw failure;
            }
        };
    }

    /** After the batch stages failed unexpectedly: every change they still carry goes on alone. */
    public static Processor fallBack() {
        return exchange -> {
            SyncBatch batch = SyncBatchEnds.batch(exchange);
            Exception failure = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class);
            LOG.error("The batch stages failed; {} changes go on one by one", batch.items().size(), failure);
            batch.sendOneByOne(item -> true, SyncBatch.Alone.STAGES_FAILED, null);
        };
    }
}
