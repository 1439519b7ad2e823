package org.ccbridge.sync;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.ccbridge.crm.TargetWrite;
import org.ccbridge.normalize.InvalidFieldValueException;

/**
 * Turns a decision into a {@link SyncPlan}: what to write to each system and the record state to
 * commit after. No I/O: the route (or the engine, for review decisions) carries it out.
 */
public class SyncPlanner {

    private final SyncDecider decider;
    private final TargetPayloads payloads;
    private final Predicate<SyncSystem> hasTarget;

    public SyncPlanner(SyncDecider decider, TargetPayloads payloads, Predicate<SyncSystem> hasTarget) {
        this.decider = decider;
        this.payloads = payloads;
        this.hasTarget = hasTarget;
    }

    /**
     * The plan of a decided change. A value that passed normalization but fails the target's
     * pattern parks the change as INVALID (nothing is sent), except for a review decision, whose
     * operator gets the error.
     */
    public SyncPlan plan(RecordChange change, Optional<RecordState> stored, SyncDecision decision, long fencingToken,
                         Instant now) {
        RecordState base = stored.orElseGet(() -> RecordState.empty(change.object(), change.recordKey()));
        try {
            return switch (decision.action()) {
                case SKIP -> new SyncPlan(change, stored, decision, Map.of(), skipped(base, decision, change), null,
                        new SyncOutcome(decision.status(), decision.reason(), 0, 0));
                case REVIEW, HALT -> flag(change, base, stored, decision);
                case APPLY -> applyChange(change, base, stored, decision, fencingToken, now);
                case WRITE_BACK -> writeBack(change, base, stored, decision, fencingToken, now);
            };
        } catch (InvalidFieldValueException e) {
            if (change.origin() == ChangeOrigin.REVIEW_DECISION) {
                throw e; // the operator gets a 422 and the item stays open
            }
            return park(change, stored, "field " + e.field() + ": " + e.reason());
        }
    }

    /** The plan of a change whose values failed validation: INVALID, with a review item holding it as received. */
    public SyncPlan park(RecordChange asReceived, Optional<RecordState> stored, String reason) {
        RecordState base = stored.orElseGet(() -> RecordState.empty(asReceived.object(), asReceived.recordKey()));
        SyncDecision decision = new SyncDecision(SyncDecision.Action.REVIEW, SyncStatus.INVALID, reason);
        return new SyncPlan(asReceived, stored, decision, Map.of(), null,
                new SyncPlan.PlannedReview(ReviewItem.Kind.INVALID, SyncStatus.INVALID, reason, base, base.halted()),
                new SyncOutcome(SyncStatus.INVALID, reason, 0, 0));
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

    private static SyncPlan flag(RecordChange change, RecordState base, Optional<RecordState> stored,
                                 SyncDecision decision) {
        boolean halt = decision.action() == SyncDecision.Action.HALT || base.halted();
        ReviewItem.Kind kind = halt ? ReviewItem.Kind.LOOP : ReviewItem.Kind.CONFLICT;
        return new SyncPlan(change, stored, decision, Map.of(), null,
                new SyncPlan.PlannedReview(kind, SyncStatus.FLAGGED, decision.reason(), base, halt),
                new SyncOutcome(SyncStatus.FLAGGED, decision.reason(), 0, 0));
    }

    private SyncPlan applyChange(RecordChange change, RecordState base, Optional<RecordState> stored,
                                 SyncDecision decision, long fencingToken, Instant now) {
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
        Map<SyncSystem, TargetWrite> writes = writes(change, planned, mergedHash, version, fencingToken, written);
        Long ccVersion = versionAfter(SyncSystem.CONTACT_CENTER, change, base, planned, version);
        Long crmVersion = versionAfter(SyncSystem.CRM, change, base, planned, version);
        RecordState next = new RecordState(base.object(), base.recordKey(), version, ccVersion, crmVersion,
                change.modifiedAt(), change.system(), change.origin(), merged, mergedHash, written, decision.status(),
                decision.reason(), change.eventId(), now, decider.windowStart(base, now),
                decider.updatesInWindow(base, now), base.halted(), fencingToken, changedBy(base, change.fields()));
        return new SyncPlan(change, stored, decision, writes, next, null,
                new SyncOutcome(decision.status(), decision.reason(), writes.size(), 0));
    }

    private SyncPlan writeBack(RecordChange change, RecordState base, Optional<RecordState> stored,
                               SyncDecision decision, long fencingToken, Instant now) {
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
        Map<SyncSystem, TargetWrite> writes = writes(change, planned, mergedHash, base.version(), fencingToken, written);
        Set<String> changed = new TreeSet<>(base.changedFields());
        changed.addAll(changedBy(base, merging));
        RecordState next = new RecordState(base.object(), base.recordKey(), base.version(),
                change.system() == SyncSystem.CONTACT_CENTER ? Long.valueOf(base.version()) : base.ccVersion(),
                change.system() == SyncSystem.CRM ? Long.valueOf(base.version()) : base.crmVersion(),
                base.modifiedAt(), base.lastSystem(), base.lastOrigin(), merged, mergedHash, written,
                decision.status(), decision.reason(), change.eventId(), now, decider.windowStart(base, now),
                decider.updatesInWindow(base, now), base.halted(), fencingToken, changed);
        return new SyncPlan(change, stored, decision, writes, next, null,
                new SyncOutcome(decision.status(), decision.reason(), writes.size(), 0));
    }

    /**
     * The writes of the non-empty payloads to systems that have a target; records in
     * {@code written} the content hash each of them will hold once its write succeeded.
     */
    private Map<SyncSystem, TargetWrite> writes(RecordChange change, Map<SyncSystem, Map<String, Object>> planned,
                                                String contentHash, long version, long fencingToken,
                                                Map<SyncSystem, String> written) {
        Map<SyncSystem, TargetWrite> writes = new EnumMap<>(SyncSystem.class);
        planned.forEach((system, payload) -> {
            if (payload.isEmpty() || !hasTarget.test(system)) {
                return;
            }
            // the same on every retry of this change's write, different for any other write (a
            // write-back after a write of the same version must not be replayed as that write)
            String key = change.recordName() + ":v" + version + ":" + system + ":"
                    + ContentHash.of(Map.of("event", String.valueOf(change.eventId()), "content", contentHash)).substring(0, 24);
            writes.put(system, new TargetWrite(change.object(), change.recordKey(), payload, key, fencingToken));
            written.put(system, contentHash);
        });
        return writes;
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

    private static Long versionAfter(SyncSystem system, RecordChange change, RecordState base,
                                     Map<SyncSystem, Map<String, Object>> planned, long version) {
        if (system == change.system()) {
            return change.version() != null ? change.version() : base.versionOf(system);
        }
        return planned.containsKey(system) && !planned.get(system).isEmpty() ? Long.valueOf(version) : base.versionOf(system);
    }
}
