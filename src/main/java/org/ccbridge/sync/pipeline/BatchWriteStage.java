package org.ccbridge.sync.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.crm.TargetCallException;
import org.ccbridge.crm.TargetWrite;
import org.ccbridge.sync.SyncSystem;
import org.ccbridge.tracing.EventTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stages {@code record-sync-batch-write-crm} and {@code record-sync-batch-write-contact-center}
 * ({@link #to(SyncSystem)}): the batch's planned writes to one system in the target's fewest
 * calls (Salesforce: collection upserts of up to 200). A record the target refused or failed on
 * its own goes down the one-change path, which retries or dead-letters it. A call that fails as a
 * whole fails the stage, so that the route's circuitBreaker counts it; the route's doCatch then
 * sends that system's records down the one-change path ({@link #failed(SyncSystem)}).
 */
public class BatchWriteStage {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWriteStage.class);

    private final Function<SyncSystem, Optional<GuardedTarget>> targets;
    private final EventTracing tracing;

    public BatchWriteStage(Function<SyncSystem, Optional<GuardedTarget>> targets, EventTracing tracing) {
        this.targets = targets;
        this.tracing = tracing;
    }

    public Processor to(SyncSystem system) {
        return exchange -> {
            SyncBatch batch = SyncBatchEnds.batch(exchange);
            // a lapsed lock means another instance may be deciding this record now
            batch.sendOneByOne(item -> writes(item, system) && !item.work().lock().isHeld(),
                    SyncBatch.Alone.LOCK_LAPSED, null);
            List<SyncBatch.Item> writing = new ArrayList<>();
            List<TargetWrite> writes = new ArrayList<>();
            for (SyncBatch.Item item : batch.items()) {
                if (writes(item, system)) {
                    writing.add(item);
                    writes.add(item.work().plan().writes().get(system));
                }
            }
            if (writes.isEmpty()) {
                return;
            }
            GuardedTarget target = targets.apply(system).orElseThrow(() -> new IllegalStateException(
                    "a write to " + system + " was planned but no target is configured for it"));
            long started = System.currentTimeMillis();
            List<TargetCallException> failures = null;
            try {
                failures = target.upsertAllWithinBreaker(writes);
            } finally {
                traceInEachEvent(writing, failures, target.name(), started);
            }
            for (int i = 0; i < writing.size(); i++) {
                if (failures.get(i) != null) {
                    LOG.debug("Event {}: {}; it goes on alone", writing.get(i).work().eventId(), failures.get(i).getMessage());
                    batch.sendOneByOne(writing.get(i), SyncBatch.Alone.WRITE_FAILED, failures.get(i));
                }
            }
        };
    }

    /**
     * The batch's call, as a span in each of its events' traces: one call, many traces, and no
     * span of any of them current while it ran.
     */
    private void traceInEachEvent(List<SyncBatch.Item> writing, List<TargetCallException> failures, String target,
                                  long started) {
        long ended = System.currentTimeMillis();
        for (int i = 0; i < writing.size(); i++) {
            String outcome = failures == null ? "call failed" : failures.get(i) == null ? "written" : "refused or failed";
            tracing.recordSpan(writing.get(i).work().traceParent(), "ccbridge write " + target + " (batch)", started,
                    ended, Map.of("ccbridge.event_id", String.valueOf(writing.get(i).work().eventId()),
                            "ccbridge.target", target, "ccbridge.batch_size", Integer.toString(writing.size()),
                            "ccbridge.outcome", outcome));
        }
    }

    /** After a call failed as a whole: every record that was to be written to {@code system} goes on alone. */
    public Processor failed(SyncSystem system) {
        return exchange -> {
            RuntimeException failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RuntimeException.class);
            LOG.info("A batch write to {} failed ({}); its records go on one by one", system,
                    failure == null ? "unknown" : failure.getMessage());
            SyncBatchEnds.batch(exchange).sendOneByOne(item -> writes(item, system), SyncBatch.Alone.CALL_FAILED, failure);
        };
    }

    private static boolean writes(SyncBatch.Item item, SyncSystem system) {
        return BatchDecideStage.writes(item.work().plan(), system);
    }
}
