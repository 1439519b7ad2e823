package org.ccbridge.sync.pipeline;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.RecordState;
import org.ccbridge.sync.RecordStateRepository;
import org.ccbridge.sync.SyncPlan;
import org.ccbridge.sync.SyncSystem;

/**
 * Stage {@code record-sync-batch-decide}: the batch's record states in one SELECT per object,
 * then each change decided and planned as the one-change path's decide stage does. Sets the
 * properties the route branches on: {@code syncBatchReviews}, {@code syncBatchWritesCrm},
 * {@code syncBatchWritesContactCenter}.
 */
public class BatchDecideStage implements Processor {

    private final RecordStateRepository states;
    private final ChangePlanning planning;

    public BatchDecideStage(RecordStateRepository states, ChangePlanning planning) {
        this.states = states;
        this.planning = planning;
    }

    @Override
    public void process(Exchange exchange) {
        SyncBatch batch = SyncBatchEnds.batch(exchange);
        Map<String, Map<String, RecordState>> stored = read(batch);
        boolean reviews = false;
        boolean writesCrm = false;
        boolean writesContactCenter = false;
        for (SyncBatch.Item item : batch.items()) {
            SyncWork work = item.work();
            Optional<RecordState> state = Optional.ofNullable(
                    stored.get(work.change().object()).get(work.change().recordKey()));
            planning.plan(work, state);
            reviews |= work.plan().route() == SyncPlan.Route.REVIEW;
            writesCrm |= writes(work.plan(), SyncSystem.CRM);
            writesContactCenter |= writes(work.plan(), SyncSystem.CONTACT_CENTER);
        }
        exchange.setProperty(SyncBatch.REVIEWS, reviews);
        exchange.setProperty(SyncBatch.WRITES_CRM, writesCrm);
        exchange.setProperty(SyncBatch.WRITES_CONTACT_CENTER, writesContactCenter);
    }

    static boolean writes(SyncPlan plan, SyncSystem system) {
        return plan.route() == SyncPlan.Route.WRITE && plan.writesTo(system);
    }

    private Map<String, Map<String, RecordState>> read(SyncBatch batch) {
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        batch.items().forEach(item -> keys.computeIfAbsent(item.work().change().object(), object -> new LinkedHashSet<>())
                .add(item.work().change().recordKey()));
        Map<String, Map<String, RecordState>> stored = new LinkedHashMap<>();
        keys.forEach((object, recordKeys) -> stored.put(object, states.findAll(object, recordKeys)));
        return stored;
    }
}
