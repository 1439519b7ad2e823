package org.ccbridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.coordination.HeldLock;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.crm.TargetWrite;
import org.ccbridge.normalize.InvalidFieldValueException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-resolve-write of one record under its fenced lock: reads the stored state, decides, writes
 * the winner to the system(s) that lack it, and saves the new state with the lock's fencing token
 * (a writer whose lock lapsed is refused). One attempt; retries are the caller's.
 */
public class SyncEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

    private final SyncProperties properties;
    private final SyncDecider decider;
    private final RecordStateRepository states;
    private final ReviewQueue reviews;
    private final TargetPayloads payloads;
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
        this.payloads = payloads;
        this.targets = targets;
        this.locks = locks;
        this.clock = clock;
    }

    /** Decides and applies one change. */
    public SyncOutcome process(RecordChange change) throws Exception {
        return underLock(change, held -> {
            Optional<RecordState> stored = states.find(change.object(), change.recordKey());
            return apply(change, stored, decider.decide(stored, change, clock.instant()), held);
        });
    }

    /** Parks a change whose values failed validation: INVALID, with a review item holding it as received. */
    public SyncOutcome parkInvalid(RecordChange asReceived, String field, String reason) throws Exception {
        return underLock(asReceived, held -> {
            Optional<RecordState> stored = states.find(asReceived.object(), asReceived.recordKey());
            return park(asReceived, stored, "field " + field + ": " + reason, held);
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
            SyncOutcome outcome = apply(change, stored.map(RecordState::unhalted), apply, held);
            reviews.decide(item.id(), decision, fields, decidedBy, now);
            reviews.supersede(item.object(), item.recordKey(), item.id(), decidedBy, now);
            return outcome;
        });
    }

    private SyncOutcome underLock(RecordChange change, FencedLocks.LockedWork<SyncOutcome> work) throws Exception {
        return locks.withLock("#sync:" + change.recordName(), properties.lock().lease(), properties.lock().maxWait(), work);
    }

    private SyncOutcome apply(RecordChange change, Optional<RecordState> stored, SyncDecision decision, HeldLock held) {
        Instant now = clock.instant();
        RecordState base = stored.orElseGet(() -> RecordState.empty(change.object(), change.recordKey()));
        try {
            return switch (decision.action()) {
                case SKIP -> save(skipped(base, decision, change), stored, held,
                        new SyncOutcome(decision.status(), decision.reason(), 0, 0));
                case REVIEW, HALT -> flag(change, base, stored, decision, held, now);
                case APPLY -> applyChange(change, base, stored, decision, held, now);
                case WRITE_BACK -> writeBack(change, base, stored, decision, held, now);
            };
        } catch (InvalidFieldValueException e) {
            if (change.origin() == ChangeOrigin.REVIEW_DECISION) {
                throw e; // the operator gets a 422 and the item stays open
            }
            // a value passed normalization but not the target's pattern: nothing was sent
            return park(change, stored, "field " + e.field() + ": " + e.reason(), held);
        }
    }

    /**
     * A skip is recorded, except over FLAGGED or INVALID: those stay listed for the operator until
     * a change is applied or a decision made.
     */
    private static RecordState skipped(RecordState base, SyncDecision decision, RecordChange change) {
        if (base.status() == SyncStatus.FLAGGED || base.status() == SyncStatus.INVALID) {
            return base;
        }
        return base.withOutcome(decision.status(), decision.reason(), change.eventId());
    }

    private SyncOutcome applyChange(RecordChange change, RecordState base, Optional<RecordState> stored,
                                    SyncDecision decision, HeldLock held, Instant now) {
        long version = Math.max(change.version() == null ? base.version() : change.version(), base.version());
        Map<String, String> merged = base.overlay(change.fields());
        String mergedHash = ContentHash.of(merged);
        List<SyncSystem> receivers = change.system() == null ? List.of(SyncSystem.values()) : List.of(change.system().other());
        Map<SyncSystem, Map<String, Object>> planned = new EnumMap<>(SyncSystem.class);
        for (SyncSystem receiver : receivers) {
            planned.put(receiver, payloads.build(change.object(), receiver, change.fields(), version));
        }
        Map<SyncSystem, String> written = new EnumMap<>(SyncSystem.class);
        written.putAll(base.writtenHash());
        if (change.system() != null) {
            // the sender changed its record itself: what ccbridge last wrote there is no longer an
            // echo to wait for (a user who reverts to that value makes a genuine edit)
            written.remove(change.system());
        }
        int writes = write(change, planned, mergedHash, version, held, written);
        Long ccVersion = versionAfter(SyncSystem.CONTACT_CENTER, change, base, planned, version);
        Long crmVersion = versionAfter(SyncSystem.CRM, change, base, planned, version);
        RecordState next = new RecordState(base.object(), base.recordKey(), version, ccVersion, crmVersion,
                change.modifiedAt(), change.system(), change.origin(), merged, mergedHash, written, decision.status(),
                decision.reason(), change.eventId(), now, decider.windowStart(base, now),
                decider.updatesInWindow(base, now), base.halted(), held.fencingToken(), changedBy(base, change.fields()));
        return save(next, stored, held, new SyncOutcome(decision.status(), decision.reason(), writes, 0));
    }

    /** The fields a change changes: those whose value differs from the agreed one. */
    private static Set<String> changedBy(RecordState base, Map<String, String> fields) {
        Set<String> changed = new TreeSet<>();
        fields.forEach((name, value) -> {
            if (!Objects.equals(value, base.fields().get(name))) {
                changed.add(name);
            }
        });
        return changed;
    }

    private SyncOutcome writeBack(RecordChange change, RecordState base, Optional<RecordState> stored,
                                  SyncDecision decision, HeldLock held, Instant now) {
        // the stored values of the fields both edits changed go back to the losing side; the
        // losing edit's other fields merge like an applied change
        Map<String, String> winning = new LinkedHashMap<>();
        Map<String, String> merging = new LinkedHashMap<>();
        change.fields().forEach((name, value) -> {
            if (decision.conflicting().contains(name)) {
                winning.put(name, base.fields().get(name));
            } else {
                merging.put(name, value);
            }
        });
        Map<String, String> merged = base.overlay(merging);
        String mergedHash = ContentHash.of(merged);
        Map<SyncSystem, Map<String, Object>> planned = new EnumMap<>(SyncSystem.class);
        planned.put(change.system(), payloads.build(change.object(), change.system(), winning, base.version()));
        planned.put(change.system().other(), payloads.build(change.object(), change.system().other(), merging,
                base.version()));
        Map<SyncSystem, String> written = new EnumMap<>(SyncSystem.class);
        written.putAll(base.writtenHash());
        int writes = write(change, planned, mergedHash, base.version(), held, written);
        Set<String> changed = new TreeSet<>(base.changedFields());
        changed.addAll(changedBy(base, merging));
        RecordState next = new RecordState(base.object(), base.recordKey(), base.version(),
                change.system() == SyncSystem.CONTACT_CENTER ? Long.valueOf(base.version()) : base.ccVersion(),
                change.system() == SyncSystem.CRM ? Long.valueOf(base.version()) : base.crmVersion(),
                base.modifiedAt(), base.lastSystem(), base.lastOrigin(), merged, mergedHash, written,
                decision.status(), decision.reason(), change.eventId(), now, decider.windowStart(base, now),
                decider.updatesInWindow(base, now), base.halted(), held.fencingToken(), changed);
        return save(next, stored, held, new SyncOutcome(decision.status(), decision.reason(), writes, 0));
    }

    private SyncOutcome flag(RecordChange change, RecordState base, Optional<RecordState> stored, SyncDecision decision,
                             HeldLock held, Instant now) {
        boolean halt = decision.action() == SyncDecision.Action.HALT || base.halted();
        long reviewId = reviews.add(change.object(), change.recordKey(),
                halt ? ReviewItem.Kind.LOOP : ReviewItem.Kind.CONFLICT, decision.reason(), base, change.fields(),
                change.version(), change.system(), change.eventId(), now);
        LOG.warn("Record {} flagged for review {}: {}", change.recordName(), reviewId, decision.reason());
        RecordState next = base.withOutcome(SyncStatus.FLAGGED, decision.reason() + " (review " + reviewId + ")",
                change.eventId()).halted(halt);
        return save(next, stored, held, new SyncOutcome(SyncStatus.FLAGGED, decision.reason(), 0, reviewId));
    }

    private SyncOutcome park(RecordChange asReceived, Optional<RecordState> stored, String reason, HeldLock held) {
        Instant now = clock.instant();
        RecordState base = stored.orElseGet(() -> RecordState.empty(asReceived.object(), asReceived.recordKey()));
        long reviewId = reviews.add(asReceived.object(), asReceived.recordKey(), ReviewItem.Kind.INVALID, reason, base,
                asReceived.fields(), asReceived.version(), asReceived.system(), asReceived.eventId(), now);
        LOG.warn("Record {} parked as INVALID (review {}): {}", asReceived.recordName(), reviewId, reason);
        RecordState next = base.withOutcome(SyncStatus.INVALID, reason + " (review " + reviewId + ")", asReceived.eventId());
        return save(next, stored, held, new SyncOutcome(SyncStatus.INVALID, reason, 0, reviewId));
    }

    /** Writes each non-empty payload; records the content hash each system now holds. */
    private int write(RecordChange change, Map<SyncSystem, Map<String, Object>> planned, String contentHash, long version,
                      HeldLock held, Map<SyncSystem, String> written) {
        int writes = 0;
        for (Map.Entry<SyncSystem, Map<String, Object>> entry : planned.entrySet()) {
            if (entry.getValue().isEmpty()) {
                continue;
            }
            Optional<GuardedTarget> target = targets.apply(entry.getKey());
            if (target.isEmpty()) {
                LOG.debug("No target configured for {}; record {} not written there", entry.getKey(), change.recordName());
                continue;
            }
            // a lapsed lock means another instance may be deciding this record now
            held.assertHeld();
            // the same on every retry of this change's write, different for any other write (a
            // write-back after a write of the same version must not be replayed as that write)
            String key = change.recordName() + ":v" + version + ":" + entry.getKey() + ":"
                    + ContentHash.of(Map.of("event", String.valueOf(change.eventId()), "content", contentHash)).substring(0, 24);
            try {
                target.get().upsert(new TargetWrite(change.object(), change.recordKey(), entry.getValue(), key));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while writing record " + change.recordName(), e);
            }
            written.put(entry.getKey(), contentHash);
            writes++;
        }
        return writes;
    }

    private static Long versionAfter(SyncSystem system, RecordChange change, RecordState base,
                                     Map<SyncSystem, Map<String, Object>> planned, long version) {
        if (system == change.system()) {
            return change.version() != null ? change.version() : base.versionOf(system);
        }
        return planned.containsKey(system) && !planned.get(system).isEmpty() ? Long.valueOf(version) : base.versionOf(system);
    }

    private SyncOutcome save(RecordState next, Optional<RecordState> stored, HeldLock held, SyncOutcome outcome) {
        held.assertHeld();
        states.save(next, held.fencingToken(), stored.isPresent(), clock.millis());
        return outcome;
    }
}
