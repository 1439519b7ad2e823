package org.ccbridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.coordination.HeldLock;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.crm.TargetWrite;

/**
 * Read-resolve-write of one record under its fenced lock, in one call: reads the stored state,
 * decides, plans, writes to the system(s) that lack the winner through their guarded targets,
 * and commits the new state with the lock's fencing token. The record-sync route runs the same
 * beans as stages of its own; this engine applies operators' review decisions and parks invalid
 * changes outside the route. One attempt; retries are the caller's.
 */
public class SyncEngine {

    private final SyncProperties properties;
    private final SyncDecider decider;
    private final RecordStateRepository states;
    private final ReviewQueue reviews;
    private final SyncPlanner planner;
    private final ReviewRecorder reviewRecorder;
    private final StateCommitter committer;
    private final Function<SyncSystem, Optional<GuardedTarget>> targets;
    private final FencedLocks locks;
    private final Clock clock;

    public SyncEngine(SyncProperties properties, SyncDecider decider, RecordStateRepository states, ReviewQueue reviews,
                      TargetPayloads payloads, Function<SyncSystem, Optional<GuardedTarget>> targets, FencedLocks locks,
                      Clock clock) {
        this.properties = properties;
        this.decider = decider;
        this.states = states;
        this.reviews = reviews;
        this.planner = new SyncPlanner(decider, payloads, system -> targets.apply(system).isPresent());
        this.reviewRecorder = new ReviewRecorder(reviews, clock);
        this.committer = new StateCommitter(states, clock);
        this.targets = targets;
        this.locks = locks;
        this.clock = clock;
    }

    /** The planner the route's decide stage shares with this engine. */
    public SyncPlanner planner() {
        return planner;
    }

    /** Decides and applies one change. */
    public SyncOutcome process(RecordChange change) throws Exception {
        return underLock(change, held -> {
            Optional<RecordState> stored = states.find(change.object(), change.recordKey());
            SyncDecision decision = decider.decide(stored, change, clock.instant());
            return carryOut(planner.plan(change, stored, decision, held.fencingToken(), clock.instant()), held);
        });
    }

    /** Parks a change whose values failed validation: INVALID, with a review item holding it as received. */
    public SyncOutcome parkInvalid(RecordChange asReceived, String field, String reason) throws Exception {
        return underLock(asReceived, held -> {
            Optional<RecordState> stored = states.find(asReceived.object(), asReceived.recordKey());
            return carryOut(planner.park(asReceived, stored, "field " + field + ": " + reason), held);
        });
    }

    /**
     * Applies an operator's decision on a review item to both systems, as a new version, and
     * lifts a loop-breaker halt. The item must still be open.
     */
    public SyncOutcome applyDecision(ReviewItem item, ReviewItem.Decision decision, Map<String, String> fields,
                                     String decidedBy) throws Exception {
        RecordChange probe = new RecordChange(item.object(), item.recordKey(), null, ChangeOrigin.REVIEW_DECISION,
                null, null, properties.marker(), fields, "review-" + item.id());
        return underLock(probe, held -> {
            if (reviews.find(item.id()).map(current -> current.state() != ReviewItem.State.OPEN).orElse(true)) {
                throw new ReviewAlreadyDecidedException(item.id());
            }
            Optional<RecordState> stored = states.find(item.object(), item.recordKey());
            long current = stored.filter(RecordState::hasContent).map(RecordState::version).orElse(0L);
            long seen = item.storedVersion() == null ? 0L : item.storedVersion();
            if (decision != ReviewItem.Decision.MERGED && current != seen) {
                // taking a side of an old snapshot would overwrite what was applied since
                throw new ReviewOutdatedException(item.id(), seen, current);
            }
            long version = current + 1;
            Instant now = clock.instant();
            RecordChange change = new RecordChange(item.object(), item.recordKey(), null, ChangeOrigin.REVIEW_DECISION,
                    version, now, properties.marker(), fields, "review-" + item.id());
            SyncDecision apply = new SyncDecision(SyncDecision.Action.APPLY, SyncStatus.RESOLVED,
                    "review " + item.id() + " decided " + decision + " by " + decidedBy);
            SyncOutcome outcome = carryOut(planner.plan(change, stored.map(RecordState::unhalted), apply,
                    held.fencingToken(), now), held);
            reviews.decide(item.id(), decision, fields, decidedBy, now);
            reviews.supersede(item.object(), item.recordKey(), item.id(), decidedBy, now);
            return outcome;
        });
    }

    private SyncOutcome underLock(RecordChange change, FencedLocks.LockedWork<SyncOutcome> work) throws Exception {
        return locks.withLock(lockName(change), properties.lock().lease(), properties.lock().maxWait(), work);
    }

    /** The record lock's resource; the route's lock stage takes the same one. */
    public static String lockName(RecordChange change) {
        return "#sync:" + change.recordName();
    }

    private SyncOutcome carryOut(SyncPlan plan, HeldLock held) {
        if (plan.route() == SyncPlan.Route.REVIEW) {
            plan = reviewRecorder.record(plan);
        }
        for (Map.Entry<SyncSystem, TargetWrite> write : plan.writes().entrySet()) {
            // a lapsed lock means another instance may be deciding this record now
            held.assertHeld();
            try {
                targets.apply(write.getKey()).orElseThrow().upsert(write.getValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing record " + plan.change().recordName(), e);
            }
        }
        return committer.commit(plan, held);
    }
}
