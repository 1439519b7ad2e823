package org.ccbridge.sync;

import java.time.Clock;

import org.ccbridge.coordination.HeldLock;

/**
 * Commits a plan's record state with the fencing token of the lock it was decided under: a
 * writer whose lock lapsed, or was taken over, is refused.
 */
public class StateCommitter {

    private final RecordStates states;
    private final Clock clock;

    public StateCommitter(RecordStates states, Clock clock) {
        this.states = states;
        this.clock = clock;
    }

    /**
     * @throws org.ccbridge.coordination.LockLostException when the lock is no longer held
     * @throws StaleFenceTokenException                     when a holder of a newer lock wrote the row
     */
    public SyncOutcome commit(SyncPlan plan, HeldLock held) {
        held.assertHeld();
        states.save(plan.next(), held.fencingToken(), plan.stored().isPresent(), clock.millis());
        return plan.outcome();
    }
}
