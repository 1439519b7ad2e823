package org.ccbridge.sync;

import java.time.Instant;
import java.util.Map;

/**
 * A change waiting for an operator: what was stored (left) and what came in (right).
 *
 * @param kind     CONFLICT (within the tolerance, undecided), LOOP (halted by the loop breaker) or
 *                 INVALID (a value failed validation; the incoming fields are as received)
 * @param state    OPEN or DECIDED
 * @param decision STORED, INCOMING or MERGED once decided
 */
public record ReviewItem(long id, String object, String recordKey, Kind kind, String reason,
                         Map<String, String> storedFields, Long storedVersion, Map<String, String> incomingFields,
                         Long incomingVersion, SyncSystem incomingSystem, String incomingEventId, Instant createdAt,
                         State state, Decision decision, Map<String, String> decidedFields, String decidedBy,
                         Instant decidedAt) {

    public enum Kind { CONFLICT, LOOP, INVALID }

    public enum State { OPEN, DECIDED }

    /** Take left (stored), take right (incoming), or operator-merged fields. */
    public enum Decision { STORED, INCOMING, MERGED }
}
