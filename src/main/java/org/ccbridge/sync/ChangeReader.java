package org.ccbridge.sync;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ccbridge.normalize.InvalidFieldValueException;
import org.ccbridge.normalize.TextLimit;
import org.ccbridge.normalize.Timestamps;
import org.ccbridge.normalize.ValueNormalizer;

/**
 * Reads a record change from an accepted event. The change is the event's {@code data} object
 * (Standard Webhooks), {@code eventBody} (Genesys notifications), {@code event} (NICE CXone) or
 * the body itself; its mapped fields sit in a {@code fields} object or at its top level, named
 * as the sending system names them. The record key comes from the object's configured key fields
 * (not from whatever id the envelope found: an interaction id is not a contact's key). Version, marker and modification time come from the
 * object's configured fields or from {@code version}, {@code syncSource} and {@code modifiedAt}.
 */
public class ChangeReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SyncProperties properties;
    private final ValueNormalizer normalizer;

    public ChangeReader(SyncProperties properties, ValueNormalizer normalizer) {
        this.properties = properties;
        this.normalizer = normalizer;
    }

    /** The system a source speaks for. */
    public SyncSystem systemOf(String source) {
        return properties.crmSources().contains(source) ? SyncSystem.CRM : SyncSystem.CONTACT_CENTER;
    }

    /** A change as the event carried it, with each mapped field's raw JSON value kept for normalization. */
    public record ReceivedChange(RecordChange asReceived, Map<String, JsonNode> rawValues) {
    }

    /**
     * The change an event carries, normalized, or empty when it touches no mapped field.
     *
     * @throws UnsyncableEventException when the event cannot be synced at all
     * @throws InvalidChangeException   when a mapped value is invalid
     */
    public Optional<RecordChange> read(String source, String eventId, Instant occurredAt, byte[] body) {
        return receive(source, eventId, occurredAt, body).map(this::normalize);
    }

    /**
     * The change an event carries, values as received, or empty when it touches no mapped field.
     *
     * @throws UnsyncableEventException when the event cannot be synced at all
     */
    public Optional<ReceivedChange> receive(String source, String eventId, Instant occurredAt, byte[] body) {
        JsonNode payload = payload(body);
        SyncSystem system = systemOf(source);
        String named = object(payload);
        String object = properties.objectName(named);
        if (object == null) {
            throw new UnsyncableEventException("no mapping for object " + named + " (ccbridge.sync.objects)");
        }
        SyncProperties.ObjectMapping mapping = properties.objects().get(object);
        JsonNode values = payload.path("fields").isObject() ? payload.path("fields") : payload;
        Map<String, String> received = new LinkedHashMap<>();
        Map<String, JsonNode> raw = new LinkedHashMap<>();
        for (SyncProperties.FieldMapping field : mapping.fields()) {
            JsonNode value = values.get(field.fieldIn(system));
            if (value != null && field.syncsFrom(system)) {
                received.put(field.key(), value.isNull() ? null : value.asText());
                raw.put(field.key(), value);
            }
        }
        if (received.isEmpty()) {
            return Optional.empty();
        }
        List<String> keyFields = system == SyncSystem.CRM ? List.of(mapping.crmKeyField(), "recordKey")
                : mapping.ccKeyFields();
        String key = keyFields.stream().map(name -> text(values.has(name) ? values.get(name) : payload.get(name)))
                .filter(value -> value != null && !value.isBlank()).findFirst()
                .orElseThrow(() -> new UnsyncableEventException("a change of mapped fields names no record (" + keyFields + ")"));
        String keyProblem = TextLimit.RECORD_KEY.problem("the record key", key);
        if (keyProblem != null) {
            // no store could keep it: retrying would only keep a consumer busy
            throw new UnsyncableEventException(keyProblem);
        }
        boolean crm = system == SyncSystem.CRM;
        Long version = version(values.get(crm ? mapping.crmVersionField() : mapping.ccVersionField()), payload.get("version"));
        String marker = text(values.get(crm ? mapping.crmMarkerField() : mapping.ccMarkerField()));
        if (marker == null) {
            marker = text(payload.get("syncSource"));
        }
        Instant modifiedAt = modifiedAt(payload, crm ? values.get(mapping.crmModifiedField()) : null, occurredAt);
        ChangeOrigin origin = payload.hasNonNull("origin") ? origin(payload.get("origin").asText())
                : crm ? ChangeOrigin.CRM_UPDATE : ChangeOrigin.AGENT_INPUT;
        return Optional.of(new ReceivedChange(
                new RecordChange(object, key, system, origin, version, modifiedAt, marker, received, eventId), raw));
    }

    /**
     * The change with canonical values.
     *
     * @throws InvalidChangeException when a mapped value is invalid
     */
    public RecordChange normalize(ReceivedChange received) {
        RecordChange asReceived = received.asReceived();
        SyncProperties.ObjectMapping mapping = properties.objects().get(asReceived.object());
        try {
            Map<String, String> canonical = new LinkedHashMap<>();
            for (SyncProperties.FieldMapping field : mapping.fields()) {
                if (received.rawValues().containsKey(field.key())) {
                    canonical.put(field.key(), normalizer.canonical(field.key(), field.type(),
                            received.rawValues().get(field.key())));
                }
            }
            return new RecordChange(asReceived.object(), asReceived.recordKey(), asReceived.system(), asReceived.origin(),
                    asReceived.version(), asReceived.modifiedAt(), asReceived.marker(), canonical, asReceived.eventId());
        } catch (InvalidFieldValueException e) {
            throw new InvalidChangeException(asReceived, e);
        }
    }

    private String object(JsonNode payload) {
        String named = text(payload.get("object"));
        if (named == null) {
            named = text(payload.path("attributes").get("type")); // Salesforce sObject JSON
        }
        if (named != null) {
            return named;
        }
        if (properties.objects().size() == 1) {
            return properties.objects().keySet().iterator().next();
        }
        return "Contact";
    }

    private static JsonNode payload(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new UnsyncableEventException("body is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new UnsyncableEventException("body is not a JSON object");
        }
        for (String wrapper : new String[] {"data", "eventBody", "event"}) {
            if (root.path(wrapper).isObject()) {
                return root.get(wrapper);
            }
        }
        return root;
    }

    private static Long version(JsonNode field, JsonNode fallback) {
        JsonNode node = field != null && !field.isNull() ? field : fallback;
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Long.valueOf(node.asText().trim().replaceFirst("\\.0+$", ""));
        } catch (NumberFormatException e) {
            throw new UnsyncableEventException("version is not a whole number");
        }
    }

    private static Instant modifiedAt(JsonNode payload, JsonNode crmModified, Instant occurredAt) {
        JsonNode node = payload.hasNonNull("modifiedAt") ? payload.get("modifiedAt") : crmModified;
        if (node == null || node.isNull()) {
            return occurredAt;
        }
        try {
            return Timestamps.read("modifiedAt", node);
        } catch (InvalidFieldValueException e) {
            throw new UnsyncableEventException("modifiedAt: " + e.reason());
        }
    }

    private static ChangeOrigin origin(String text) {
        try {
            return ChangeOrigin.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UnsyncableEventException("origin must be agent, crm or system");
        }
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
