package org.ccbridge.sync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.RecordStates;

/**
 * Stage {@code record-sync-decide}: reads the record's state under its lock and decides the
 * change (echo, no-op, stale, newer version, the conflict matrix, the loop breaker), then plans
 * it: what each system gets and the state to commit. An invalid change is planned as INVALID.
 */
public class DecideStage implements Processor {

    private final RecordStates states;
    private final ChangePlanning planning;

    public DecideStage(RecordStates states, ChangePlanning planning) {
        this.states = states;
        this.planning = planning;
    }

    @Override
    public void process(Exchange exchange) {
        SyncWork work = exchange.getMessage().getBody(SyncWork.class);
        planning.plan(work, states.find(work.change().object(), work.change().recordKey()));
        work.describeDecisionOn(exchange);
    }
}
