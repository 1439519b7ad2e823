package org.ccbridge.crm;

import java.util.Map;

/**
 * One upsert of one record at a target.
 *
 * @param object         the object name, e.g. Contact
 * @param recordKey      the record's external id
 * @param fields         values by the target's field names, version and syncSource marker included
 * @param idempotencyKey the same on every retry of this write, different for any other write
 */
public record TargetWrite(String object, String recordKey, Map<String, Object> fields, String idempotencyKey) {
}
