package org.ccbridge.sync.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Processor;
import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.sync.SyncEngine;
import org.ccbridge.sync.SyncProperties;

/**
 * Stages {@code record-sync-batch-lock} ({@link #take()}) and {@code record-sync-batch-release}
 * ({@link #release()}): the records' fenced locks, the same ones the one-change path takes, for
 * the whole batch in one round trip each way. A record whose lock another holder has (or a second
 * change of a record already in the batch) does not wait: it goes down the one-change path, which
 * waits for it, after the batch has released its locks.
 */
public class BatchLockStage {

    private final FencedLocks locks;
    private final SyncProperties.Lock settings;

    public BatchLockStage(FencedLocks locks, SyncProperties.Lock settings) {
        this.locks = locks;
        this.settings = settings;
    }

    public Processor take() {
        return exchange -> {
            SyncBatch batch = SyncBatchEnds.batch(exchange);
            List<SyncBatch.Item> items = batch.items();
            if (items.isEmpty()) { // every event was dropped, not mapped or dead-lettered
                return;
            }
            List<String> resources = new ArrayList<>(items.size());
            for (SyncBatch.Item item : items) {
                // a redelivered batch decides again from the start
                item.work().restartDecision();
                resources.add(SyncEngine.lockName(item.work().change()));
            }
            FencedLocks.Group group = locks.holdAll(resources, settings.lease());
            batch.locks(group);
            List<SyncBatch.Item> notTaken = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                Optional<FencedLocks.Hold> hold = group.get(i);
                if (hold.isPresent()) {
                    items.get(i).work().lock(hold.get());
                } else {
                    notTaken.add(items.get(i));
                }
            }
            notTaken.forEach(item -> batch.sendOneByOne(item, SyncBatch.Alone.LOCK_BUSY));
        };
    }

    /** Releases what the batch still holds; runs on success and failure alike. */
    public Processor release() {
        return exchange -> {
            SyncBatch batch = SyncBatchEnds.batch(exchange);
            if (batch.locks() != null) {
                batch.locks().close();
                batch.locks(null);
            }
        };
    }
}
