package org.ccbridge.crm;

import java.util.ArrayList;
import java.util.List;

/**
 * Something records are written to. Implementations make one attempt and classify its failure:
 * {@link TargetUnavailableException} (retry with backoff), {@link TargetThrottledException}
 * (wait for the limit), {@link TargetRejectedException} (dead-letter at once).
 */
public interface CrmTarget {

    /** Upserts the record by its external id: repeating a write is harmless. */
    void upsert(TargetWrite write);

    /**
     * Upserts several records, each once, in as few calls as the target allows; by default one
     * {@link #upsert} after another.
     *
     * @return per write, in order, null when it was written, else that record's refusal
     * @throws TargetCallException when a call failed for another reason (the target down, slow or
     *                             throttling): the rest are not tried, and the caller cannot
     *                             know which were written
     */
    default List<TargetCallException> upsertAll(List<TargetWrite> writes) {
        List<TargetCallException> failures = new ArrayList<>(writes.size());
        for (TargetWrite write : writes) {
            try {
                upsert(write);
                failures.add(null);
            } catch (TargetRejectedException | TargetFencedException e) {
                failures.add(e);
            }
        }
        return failures;
    }

    /** How many calls {@link #upsertAll} makes for these writes, for the target's rate limit. */
    default int callsFor(List<TargetWrite> writes) {
        return writes.size();
    }
}
