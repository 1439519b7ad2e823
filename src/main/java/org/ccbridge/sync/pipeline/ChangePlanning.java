package org.ccbridge.sync.pipeline;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.ccbridge.sync.RecordState;
import org.ccbridge.sync.SyncDecider;
import org.ccbridge.sync.SyncPlanner;

/**
 * Decides and plans one change on its record's stored state, under the lock it holds: the rule
 * both decide stages apply, the one-change path's ({@link DecideStage}) and the batch's
 * ({@link BatchDecideStage}), which differ only in how they read the state. An invalid change is
 * planned as INVALID (parked for review with its values as received).
 */
public class ChangePlanning {

    private final SyncDecider decider;
    private final SyncPlanner planner;
    private final Clock clock;

    public ChangePlanning(SyncDecider decider, SyncPlanner planner, Clock clock) {
        this.decider = decider;
        this.planner = planner;
        this.clock = clock;
    }

    void plan(SyncWork work, Optional<RecordState> stored) {
        if (work.invalid() != null) {
            work.plan(planner.park(work.change(), stored,
                    "field " + work.invalid().field() + ": " + work.invalid().reason()));
        } else {
            Instant now = clock.instant();
            work.plan(planner.plan(work.change(), stored, decider.decide(stored, work.change(), now),
                    work.lock().fencingToken(), now));
        }
    }
}
