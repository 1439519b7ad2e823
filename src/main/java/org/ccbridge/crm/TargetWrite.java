package org.ccbridge.crm;

import java.util.Map;

/**
 * One record write to a target.
 *
 * @param fields         the payload, under the target's field names
 * @param idempotencyKey the same on every retry of this write, different for any other write;
 *                       sent to targets that deduplicate by key
 * @param fencingToken   the token of the record lock the write was decided under; REST targets
 *                       receive it as a precondition header, so that a target that keeps it can
 *                       refuse a write from a holder whose lock has since been taken over
 */
public record TargetWrite(String object, String recordKey, Map<String, Object> fields, String idempotencyKey,
                          long fencingToken) {

    /** A write made outside a record lock (no fencing token to check). */
    public TargetWrite(String object, String recordKey, Map<String, Object> fields, String idempotencyKey) {
        this(object, recordKey, fields, idempotencyKey, 0);
    }
}
