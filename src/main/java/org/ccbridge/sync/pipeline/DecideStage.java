package org.ccbridge.sync.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.RecordState;
import org.ccbridge.sync.RecordStates;
import org.ccbridge.sync.SyncDecider;
import org.ccbridge.sync.SyncPlanner;

/**
 * Stage {@code record-sync-decide}: reads the record's state under its lock and decides the
 * change (echo, no-op, stale, newer version, the conflict matrix, the loop breaker), then plans
 * it: what each system gets and the state to commit. An invalid change is planned as INVALID.
 */
public class DecideStage implements Processor {

    private final RecordStates states;
    private final SyncDecider decider;
    private final SyncPlanner planner;
    private final Clock clock;

    public DecideStage(RecordStates states, SyncDecider decider, SyncPlanner planner, Clock clock) {
        this.states = states;
        this.decider = decider;
        this.planner = planner;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) {
        SyncWork work = exchange.getMessage().getBody(SyncWork.class);
        decide(work, states.find(work.change().object(), work.change().recordKey()), decider, planner, clock.instant());
        work.describeDecisionOn(exchange);
    }

    /** Decides and plans one change on its stored state; the batch's decide stage does the same per change. */
    static void decide(SyncWork work, Optional<RecordState> stored, SyncDecider decider, SyncPlanner planner,
                       Instant now) {
        if (work.invalid() != null) {
            work.plan(planner.park(work.change(), stored,
                    "field " + work.invalid().field() + ": " + work.invalid().reason()));
        } else {
            work.plan(planner.plan(work.change(), stored, decider.decide(stored, work.change(), now),
                    work.lock().fencingToken(), now));
        }
    }
}
