package org.ccbridge.crm;

/**
 * Something records are written to. Implementations make one attempt and classify its failure:
 * {@link TargetUnavailableException} (retry with backoff), {@link TargetThrottledException}
 * (wait for the limit), {@link TargetRejectedException} (dead-letter at once).
 */
public interface CrmTarget {

    /** Upserts the record by its external id: repeating a write is harmless. */
    void upsert(TargetWrite write);
}
