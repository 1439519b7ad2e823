package org.ccbridge.sync;

import java.time.Instant;
import java.util.Map;

/**
 * One change of one record, normalized: the fields it carries (canonical values by mapped field
 * name; a null value clears the field), the version and time the changing system gave it, and
 * the syncSource marker it carried.
 *
 * @param version null when the event carried none: it then compares equal to the stored version
 * @param system  the system the change was made in; null for a review decision, which goes to both
 */
public record RecordChange(String object, String recordKey, SyncSystem system, ChangeOrigin origin,
                           Long version, Instant modifiedAt, String marker, Map<String, String> fields,
                           String eventId) {

    /** The lock and log name of the record. */
    public String recordName() {
        return object + ":" + recordKey;
    }
}
