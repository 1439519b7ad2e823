package org.ccbridge.sync.pipeline;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.RecordStateRepository;
import org.ccbridge.sync.SyncPlan;

/**
 * Stage {@code record-sync-batch-commit}: the batch's new record states in one transaction, each
 * fenced by its lock's token. A change whose lock lapsed, or whose row a newer holder wrote, goes
 * down the one-change path, which decides it again.
 */
public class BatchCommitStage implements Processor {

    private final RecordStateRepository states;
    private final Clock clock;

    public BatchCommitStage(RecordStateRepository states, Clock clock) {
        this.states = states;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        SyncBatch batch = SyncBatchEnds.batch(exchange);
        batch.sendOneByOne(item -> !item.work().lock().isHeld(), SyncBatch.Alone.LOCK_LAPSED, null);
        List<SyncBatch.Item> items = new ArrayList<>(batch.items());
        List<RecordStateRepository.Save> saves = new ArrayList<>(items.size());
        for (SyncBatch.Item item : items) {
            SyncPlan plan = item.work().plan();
            saves.add(new RecordStateRepository.Save(plan.next(), item.work().lock().fencingToken(),
                    plan.stored().isPresent()));
        }
        List<Boolean> saved = saves.isEmpty() ? List.of() : states.saveAll(saves, clock.millis());
        for (int i = 0; i < items.size(); i++) {
            if (saved.get(i)) {
                items.get(i).work().outcome(items.get(i).work().plan().outcome());
            } else {
                batch.sendOneByOne(items.get(i), SyncBatch.Alone.STATE_MOVED);
            }
        }
    }
}
