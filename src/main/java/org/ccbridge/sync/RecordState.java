package org.ccbridge.sync;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What ccbridge knows of one record: the agreed business fields and their version, where the
 * last change came from, what it last wrote to each system (for echo detection), the loop
 * breaker's window, and the outcome of the last change.
 *
 * @param version         the agreed Sync_Version
 * @param modifiedAt      when the change that produced the agreed fields was made
 * @param fields          the agreed fields, canonical values by mapped name; never null values
 * @param contentHash     {@link ContentHash} of {@code fields}
 * @param writtenHash     per system, the content hash of the record as ccbridge last wrote it there
 * @param windowStart     start of the loop breaker's current window
 * @param updatesInWindow applied updates since {@code windowStart}
 * @param halted          the loop breaker stopped sync of this record until a review decision
 * @param changedFields   the fields the change that produced the agreed fields changed: another
 *                        edit of the same version conflicts with it only on these
 */
public record RecordState(String object, String recordKey, long version, Long ccVersion, Long crmVersion,
                          Instant modifiedAt, SyncSystem lastSystem, ChangeOrigin lastOrigin,
                          Map<String, String> fields, String contentHash, Map<SyncSystem, String> writtenHash,
                          SyncStatus status, String statusReason, String lastEventId, Instant lastAppliedAt,
                          Instant windowStart, int updatesInWindow, boolean halted, long fenceToken,
                          Set<String> changedFields) {

    /** Whether a record row exists with agreed fields (an INVALID first change leaves none). */
    public boolean hasContent() {
        return contentHash != null;
    }

    /** The fields after {@code change} is laid over them: present fields replace, null ones clear. */
    public Map<String, String> overlay(Map<String, String> changed) {
        Map<String, String> merged = new LinkedHashMap<>(fields);
        changed.forEach((name, value) -> {
            if (value == null) {
                merged.remove(name);
            } else {
                merged.put(name, value);
            }
        });
        return merged;
    }

    public Long versionOf(SyncSystem system) {
        return system == SyncSystem.CRM ? crmVersion : ccVersion;
    }

    /** A record not seen before: no agreed fields yet. */
    public static RecordState empty(String object, String recordKey) {
        return new RecordState(object, recordKey, 0, null, null, null, null, null, Map.of(), null, Map.of(),
                SyncStatus.RESOLVED, null, null, null, null, 0, false, 0, Set.of());
    }

    /** The same record with a new outcome and nothing else changed. */
    public RecordState withOutcome(SyncStatus newStatus, String reason, String eventId) {
        return new RecordState(object, recordKey, version, ccVersion, crmVersion, modifiedAt, lastSystem, lastOrigin,
                fields, contentHash, writtenHash, newStatus, reason, eventId, lastAppliedAt, windowStart,
                updatesInWindow, halted, fenceToken, changedFields);
    }

    /** The same record, halted or not by the loop breaker. */
    public RecordState halted(boolean isHalted) {
        return new RecordState(object, recordKey, version, ccVersion, crmVersion, modifiedAt, lastSystem, lastOrigin,
                fields, contentHash, writtenHash, status, statusReason, lastEventId, lastAppliedAt, windowStart,
                updatesInWindow, isHalted, fenceToken, changedFields);
    }

    /** Released from a loop-breaker halt, with a fresh window. */
    public RecordState unhalted() {
        return new RecordState(object, recordKey, version, ccVersion, crmVersion, modifiedAt, lastSystem, lastOrigin,
                fields, contentHash, writtenHash, status, statusReason, lastEventId, lastAppliedAt, null, 0, false,
                fenceToken, changedFields);
    }
}
