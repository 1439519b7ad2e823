package org.ccbridge.sync;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.ccbridge.normalize.FieldType;
import org.ccbridge.normalize.PhoneFormat;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The sync engine: which sources speak for the CRM, how conflicts are decided, the loop breaker,
 * retries, and the field mapping per object.
 *
 * @param enabled             consume accepted events and sync them
 * @param marker              the value of the syncSource marker on every write ccbridge makes
 * @param crmSources          source names ({@code ccbridge.sources.*}) whose events come from the
 *                            CRM; every other source speaks for the contact center
 * @param crmTarget           the {@code ccbridge.targets} entry that receives contact-center changes
 * @param contactCenterTarget the {@code ccbridge.targets} entry that receives CRM changes
 * @param timestampTolerance  edits of one version closer than this are simultaneous
 * @param hierarchy           origins in descending precedence, for simultaneous edits
 * @param priorities          system priority ids; the lower id wins an exact tie
 * @param defaultRegion       the region of phone numbers written without a country code
 * @param consumers           concurrent queue consumers of the sync route
 * @param prefetch            unacked messages per consumer; the rest wait in the queue
 * @param loopBreaker         when one record changes too often, it is halted and flagged
 * @param lock                the per-record lock around read-resolve-write
 * @param retry               retries of a failed target call
 * @param gather              how the pipeline's concurrent changes share round trips to the record state
 * @param batch               how the contact-center lane takes its events from the queues
 * @param objects             field mapping per object name (e.g. Contact)
 */
@ConfigurationProperties("ccbridge.sync")
public record SyncProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("ccbridge") String marker,
        @DefaultValue Set<String> crmSources,
        @DefaultValue("") String crmTarget,
        @DefaultValue("") String contactCenterTarget,
        @DefaultValue("1s") Duration timestampTolerance,
        @DefaultValue({"AGENT_INPUT", "CRM_UPDATE", "SYSTEM_METADATA"}) List<ChangeOrigin> hierarchy,
        @DefaultValue Map<SyncSystem, Integer> priorities,
        @DefaultValue("US") String defaultRegion,
        @DefaultValue("4") int consumers,
        @DefaultValue("10") int prefetch,
        @DefaultValue LoopBreaker loopBreaker,
        @DefaultValue Lock lock,
        @DefaultValue Retry retry,
        @DefaultValue Gather gather,
        @DefaultValue Batch batch,
        @DefaultValue Map<String, ObjectMapping> objects) {

    /**
     * The configured name of an object, matched without regard to case (property keys may have
     * been lower-cased in binding), or null when it is not mapped.
     */
    public String objectName(String name) {
        if (objects.containsKey(name)) {
            return name;
        }
        return objects.keySet().stream().filter(key -> key.equalsIgnoreCase(name)).findFirst().orElse(null);
    }

    /** Contact center 1, CRM 2, unless configured. */
    public int priority(SyncSystem system) {
        return priorities.getOrDefault(system, system == SyncSystem.CONTACT_CENTER ? 1 : 2);
    }

    /**
     * @param maxUpdates more applied updates than this within {@code window} halt the record
     * @param window     the sliding window, from the first update counted
     */
    public record LoopBreaker(@DefaultValue("10") int maxUpdates, @DefaultValue("60s") Duration window) {
    }

    /**
     * @param lease how long the record lock lives without renewal (renewed while held)
     * @param maxWait how long a change waits for another instance's hold before it is retried
     */
    public record Lock(@DefaultValue("30s") Duration lease, @DefaultValue("10s") Duration maxWait) {
    }

    /**
     * @param attempts       target calls per change before it goes to the DLQ
     * @param initialBackoff pause after the first failure; doubles each time, with jitter
     * @param maxBackoff     the longest pause
     */
    public record Retry(
            @DefaultValue("5") int attempts,
            @DefaultValue("500ms") Duration initialBackoff,
            @DefaultValue("30s") Duration maxBackoff) {
    }

    /**
     * @param maxBatch the most record states read, or saved, in one round trip
     * @param workers  such round trips in flight at once, per kind
     */
    public record Gather(@DefaultValue("200") int maxBatch, @DefaultValue("2") int workers) {
    }

    /**
     * The contact-center lane's batches (the routes read the same properties).
     *
     * @param size     the most events one consumer takes at once; at most the prefetch
     * @param lingerMs how long a consumer waits for more events before it runs a batch that is not full
     */
    public record Batch(@DefaultValue("100") int size, @DefaultValue("10") long lingerMs) {
    }

    /**
     * One synced object.
     *
     * @param crmVersionField    the CRM's version counter, incremented only on transactional edits
     * @param crmMarkerField     the CRM field carrying {@code syncSource}
     * @param ccVersionField     the contact center's version attribute
     * @param ccMarkerField      the contact center's syncSource attribute
     * @param crmModifiedField   the CRM's last-modified time, when events carry no {@code modifiedAt}
     * @param crmKeyField        the field of CRM events that holds the record key (the external id)
     * @param ccKeyFields        the fields of contact-center events that may hold the record key, in
     *                           the order tried; an interaction id is not a contact's key
     * @param fields             the mapped business fields
     */
    public record ObjectMapping(
            @DefaultValue("Sync_Version__c") String crmVersionField,
            @DefaultValue("Sync_Source__c") String crmMarkerField,
            @DefaultValue("syncVersion") String ccVersionField,
            @DefaultValue("syncSource") String ccMarkerField,
            @DefaultValue("LastModifiedDate") String crmModifiedField,
            @DefaultValue("External_Id__c") String crmKeyField,
            @DefaultValue({"recordKey", "contactId", "customerId"}) List<String> ccKeyFields,
            @DefaultValue List<FieldMapping> fields) {
    }

    /**
     * One mapped field.
     *
     * @param name      the field's name in the record state and the review queue; defaults to ccField
     * @param crmField  its name in the CRM
     * @param ccField   its name in the contact center
     * @param type      how it is normalized
     * @param direction which way it is synced
     * @param crmFormat phone format the CRM expects
     * @param ccFormat  phone format the contact center expects
     * @param crmPattern the CRM field's constraint; a value that fails it is not sent
     * @param ccPattern  the contact-center field's constraint
     */
    public record FieldMapping(
            String name,
            String crmField,
            String ccField,
            @DefaultValue("TEXT") FieldType type,
            @DefaultValue("BIDIRECTIONAL") Direction direction,
            @DefaultValue("E164") PhoneFormat crmFormat,
            @DefaultValue("E164") PhoneFormat ccFormat,
            String crmPattern,
            String ccPattern) {

        public String key() {
            return name == null || name.isBlank() ? ccField : name;
        }

        public String fieldIn(SyncSystem system) {
            return system == SyncSystem.CRM ? crmField : ccField;
        }

        /** Whether changes of this field made in {@code system} are synced to the other one. */
        public boolean syncsFrom(SyncSystem system) {
            return direction == Direction.BIDIRECTIONAL
                    || (direction == Direction.TO_CRM) == (system == SyncSystem.CONTACT_CENTER);
        }
    }

    public enum Direction {
        BIDIRECTIONAL,
        TO_CRM,
        TO_CONTACT_CENTER
    }
}
