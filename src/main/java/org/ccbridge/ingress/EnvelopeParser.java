package org.ccbridge.ingress;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Maps one platform's payload to an {@link EventEnvelope}. Fails with a 400 rejection naming the
 * missing field, never quoting the payload.
 */
public final class EnvelopeParser {

    // Where a payload names the business record, in the order tried.
    private static final List<String> RECORD_KEY_FIELDS =
            List.of("recordKey", "contactId", "customerId", "conversationId", "interactionId");
    private static final Pattern UUID_SEGMENT =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern UNSAFE_ROUTING_CHARS = Pattern.compile("[^A-Za-z0-9_.-]");
    private static final int MAX_TYPE_LENGTH = 160;
    /**
     * The event id travels in the AMQP message id as {@code <source>:<id>}, a short string of at
     * most 255 bytes, and keys the dedup claim; source names are at most 63 characters.
     */
    static final int MAX_ID_BYTES = 190;

    private final PayloadFormat format;
    private final ObjectMapper objectMapper;

    public EnvelopeParser(PayloadFormat format, ObjectMapper objectMapper) {
        this.format = format;
        this.objectMapper = objectMapper;
    }

    public EventEnvelope parse(String source, byte[] body, String webhookIdHeader, Channel defaultChannel,
                               Instant receivedAt) {
        JsonNode root = readObject(body);
        Fields fields = switch (format) {
            case GENESYS -> genesys(root);
            case NICE_CXONE -> niceCxone(root);
            case STANDARD_WEBHOOKS -> standardWebhooks(root, webhookIdHeader);
        };
        String eventId = eventId(fields);
        String type = routingSafe(require(fields.type(), "event type"));
        Instant occurredAt = fields.occurredAt() == null ? receivedAt
                : JsonFields.instant(fields.occurredAt(), fields.occurredAtField());
        // a CRM source's events are CRM changes, whatever channel the interaction had
        Channel channel = defaultChannel == Channel.CRM ? Channel.CRM
                : ChannelClassifier.classify(fields.data(), type, defaultChannel);
        String recordKey = recordKey(fields.data(), root);
        String payloadHash = HexFormat.of().formatHex(HmacSha256.sha256(body));
        return new EventEnvelope(source, eventId, type, channel, recordKey, occurredAt, payloadHash, body);
    }

    private JsonNode readObject(byte[] body) {
        JsonNode root;
        try {
            root = objectMapper.readTree(body);
        } catch (IOException e) {
            throw IngressRejectedException.invalid("body is not well-formed JSON");
        }
        if (root == null || !root.isObject()) {
            throw IngressRejectedException.invalid("body must be a JSON object");
        }
        return root;
    }

    private static String eventId(Fields fields) {
        String eventId = require(fields.eventId(), "event id");
        if (eventId.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES || hasControlCharacter(eventId)) {
            throw IngressRejectedException.invalid("the event id (" + fields.eventIdField() + ") must be at most "
                    + MAX_ID_BYTES + " bytes of UTF-8 without control characters");
        }
        return eventId;
    }

    private static boolean hasControlCharacter(String value) {
        return value.chars().anyMatch(Character::isISOControl);
    }

    private static Fields genesys(JsonNode root) {
        if (root.has("topicName") && root.has("eventBody")) {
            // notification envelope: the correlation id on its topic is the event id (one request can
            // notify several topics under one correlation id), the topic with its embedded entity
            // ids generalised is the type
            JsonNode body = root.path("eventBody");
            String topic = JsonFields.text(root, "topicName");
            String timeField = JsonFields.firstPresent(body, "eventTime", "timestamp");
            return new Fields(notificationId(JsonFields.text(root.path("metadata"), "CorrelationId"), topic),
                    "metadata.CorrelationId and topicName",
                    generaliseTopic(topic), timeField == null ? null : body.get(timeField), "eventBody." + timeField,
                    body);
        }
        if (root.has("messageId")) {
            return new Fields(JsonFields.text(root, "messageId"), "messageId", JsonFields.text(root, "eventType"),
                    root.get("timestamp"), "timestamp", root.path("data"));
        }
        return new Fields(JsonFields.text(root, "id"), "id", JsonFields.text(root, "type"), root.get("createdTime"),
                "createdTime", root.path("data"));
    }

    /**
     * {@code <CorrelationId>@<topicName>}; past the id limit, the topic's SHA-256 (first 32 hex
     * digits) stands for it. Null without a correlation id.
     */
    private static String notificationId(String correlationId, String topic) {
        if (correlationId == null || correlationId.isBlank() || topic == null) {
            return correlationId;
        }
        String id = correlationId + "@" + topic;
        if (id.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES) {
            return id;
        }
        return correlationId + "@" + HexFormat.of().formatHex(HmacSha256.sha256(topic.getBytes(StandardCharsets.UTF_8)))
                .substring(0, 32);
    }

    private static Fields niceCxone(JsonNode root) {
        JsonNode event = root.path("event");
        if (!event.isObject()) {
            throw IngressRejectedException.invalid("missing event object");
        }
        JsonNode data = event.path("data").isObject() ? event.path("data") : event;
        String timeField = JsonFields.firstPresent(event, "createdAt", "timestamp", "eventTime");
        return new Fields(JsonFields.text(event, "id"), "event.id", JsonFields.text(event, "type"),
                timeField == null ? null : event.get(timeField), "event." + timeField, data);
    }

    private static Fields standardWebhooks(JsonNode root, String webhookId) {
        return new Fields(webhookId, "webhook-id header", JsonFields.text(root, "type"), root.get("timestamp"),
                "timestamp", root.path("data"));
    }

    private static String recordKey(JsonNode data, JsonNode root) {
        for (JsonNode node : List.of(data, root)) {
            for (String field : RECORD_KEY_FIELDS) {
                String value = JsonFields.text(node, field);
                if (value != null && !value.isBlank()) {
                    return value;
                }
            }
        }
        return null;
    }

    private static String generaliseTopic(String topic) {
        if (topic == null) {
            return null;
        }
        String[] segments = topic.split("\\.");
        for (int i = 0; i < segments.length; i++) {
            if (UUID_SEGMENT.matcher(segments[i]).matches()) {
                segments[i] = "id";
            }
        }
        return String.join(".", segments);
    }

    private static String routingSafe(String type) {
        String safe = UNSAFE_ROUTING_CHARS.matcher(type).replaceAll("_");
        return safe.length() > MAX_TYPE_LENGTH ? safe.substring(0, MAX_TYPE_LENGTH) : safe;
    }

    private static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw IngressRejectedException.invalid("missing " + what);
        }
        return value;
    }

    private record Fields(String eventId, String eventIdField, String type, JsonNode occurredAt,
                          String occurredAtField, JsonNode data) {
    }
}
