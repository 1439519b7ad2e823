package org.ccbridge.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.ccbridge.sync.ConflictResolver.Edit;
import org.ccbridge.sync.ConflictResolver.Verdict;
import org.ccbridge.sync.SyncDecision.Action;

/**
 * Decides a change against the record's stored state, in this order: halted records go to
 * review; the echo of our own write and a save that changes no mapped field are dropped; an
 * older version is stale; a newer one applies; an equal one goes through the conflict matrix.
 * Every write counts toward the loop breaker.
 */
public final class SyncDecider {

    private final ConflictResolver resolver;
    private final SyncProperties.LoopBreaker loopBreaker;

    public SyncDecider(ConflictResolver resolver, SyncProperties.LoopBreaker loopBreaker) {
        this.resolver = resolver;
        this.loopBreaker = loopBreaker;
    }

    public SyncDecision decide(Optional<RecordState> stored, RecordChange change, Instant now) {
        if (stored.isEmpty() || !stored.get().hasContent()) {
            return new SyncDecision(Action.APPLY, SyncStatus.RESOLVED, "first change of the record");
        }
        RecordState state = stored.get();
        if (state.halted()) {
            return new SyncDecision(Action.REVIEW, SyncStatus.FLAGGED,
                    "sync of the record is halted by the loop breaker until a review decision");
        }
        String mergedHash = ContentHash.of(state.overlay(change.fields()));
        if (change.system() != null && mergedHash.equals(state.writtenHash().get(change.system()))) {
            return new SyncDecision(Action.SKIP, SyncStatus.SKIPPED_ECHO,
                    "same content as ccbridge last wrote to " + change.system());
        }
        if (mergedHash.equals(state.contentHash())) {
            return new SyncDecision(Action.SKIP, SyncStatus.SKIPPED_NOOP, "no mapped field changed");
        }
        long version = change.version() == null ? state.version() : change.version();
        if (version < state.version()) {
            return new SyncDecision(Action.SKIP, SyncStatus.SKIPPED_STALE,
                    "version " + version + " is older than the stored " + state.version());
        }
        SyncDecision decision;
        if (version > state.version()) {
            decision = new SyncDecision(Action.APPLY, SyncStatus.RESOLVED, "higher version");
        } else {
            decision = conflict(state, change, version);
        }
        if ((decision.action() == Action.APPLY || decision.action() == Action.WRITE_BACK) && tripsLoopBreaker(state, now)) {
            return new SyncDecision(Action.HALT, SyncStatus.FLAGGED, "more than " + loopBreaker.maxUpdates()
                    + " updates within " + loopBreaker.window().toSeconds() + " s: sync halted, review needed");
        }
        return decision;
    }

    private SyncDecision conflict(RecordState state, RecordChange change, long version) {
        // concurrent edits conflict only where both changed a field, to different values
        Set<String> conflicting = new TreeSet<>();
        change.fields().forEach((name, value) -> {
            if (state.changedFields().contains(name) && !Objects.equals(value, state.fields().get(name))) {
                conflicting.add(name);
            }
        });
        if (conflicting.isEmpty()) {
            return new SyncDecision(Action.APPLY, SyncStatus.RESOLVED,
                    "concurrent edits of version " + version + " changed different fields: merged");
        }
        Edit storedEdit = new Edit(state.version(), state.modifiedAt(), state.lastSystem(), state.lastOrigin());
        Edit incomingEdit = new Edit(version, change.modifiedAt(), change.system(), change.origin());
        Verdict verdict = resolver.resolve(storedEdit, incomingEdit);
        return switch (verdict.winner()) {
            case INCOMING -> new SyncDecision(Action.APPLY, SyncStatus.OVERWRITTEN,
                    "concurrent edits of version " + version + ": incoming won " + conflicting + " by " + verdict.rule());
            case STORED -> new SyncDecision(Action.WRITE_BACK, SyncStatus.OVERWRITTEN,
                    "concurrent edits of version " + version + ": stored won " + conflicting + " by " + verdict.rule(),
                    conflicting);
            case REVIEW -> new SyncDecision(Action.REVIEW, SyncStatus.FLAGGED, verdict.rule());
        };
    }

    /** Whether one more write now exceeds the loop breaker's budget. */
    boolean tripsLoopBreaker(RecordState state, Instant now) {
        return updatesInWindow(state, now) > loopBreaker.maxUpdates();
    }

    /** The window's count including one more write now. */
    int updatesInWindow(RecordState state, Instant now) {
        Instant start = state.windowStart();
        if (start == null || Duration.between(start, now).compareTo(loopBreaker.window()) > 0) {
            return 1;
        }
        return state.updatesInWindow() + 1;
    }

    /** Where the window starts when one more write happens now. */
    Instant windowStart(RecordState state, Instant now) {
        return updatesInWindow(state, now) == 1 ? now : state.windowStart();
    }
}
