package org.ccbridge.ingress;

import java.io.IOException;
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
    private static final int MAX_ID_LENGTH = 255;

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
        String eventId = require(fields.eventId(), "event id");
        if (eventId.length() > MAX_ID_LENGTH) {
            throw IngressRejectedException.invalid("event id longer than " + MAX_ID_LENGTH + " characters");
        }
        String type = routingSafe(require(fields.type(), "event type"));
        Instant occurredAt = fields.occurredAt() == null ? receivedAt : JsonFields.instant(fields.occurredAt());
        Channel channel = ChannelClassifier.classify(fields.data(), type, defaultChannel);
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

    private static Fields genesys(JsonNode root) {
        if (root.has("topicName") && root.has("eventBody")) {
            // notification envelope: the correlation id is the event id, the topic (with its
            // embedded entity ids generalised) is the type
            JsonNode body = root.path("eventBody");
            String topic = JsonFields.text(root, "topicName");
            return new Fields(JsonFields.text(root.path("metadata"), "CorrelationId"), generaliseTopic(topic),
                    JsonFields.first(body, "eventTime", "timestamp"), body);
        }
        if (root.has("messageId")) {
            return new Fields(JsonFields.text(root, "messageId"), JsonFields.text(root, "eventType"),
                    root.get("timestamp"), root.path("data"));
        }
        return new Fields(JsonFields.text(root, "id"), JsonFields.text(root, "type"), root.get("createdTime"),
                root.path("data"));
    }

    private static Fields niceCxone(JsonNode root) {
        JsonNode event = root.path("event");
        if (!event.isObject()) {
            throw IngressRejectedException.invalid("missing event object");
        }
        JsonNode data = event.path("data").isObject() ? event.path("data") : event;
        return new Fields(JsonFields.text(event, "id"), JsonFields.text(event, "type"),
                JsonFields.first(event, "createdAt", "timestamp", "eventTime"), data);
    }

    private static Fields standardWebhooks(JsonNode root, String webhookId) {
        return new Fields(webhookId, JsonFields.text(root, "type"), root.get("timestamp"), root.path("data"));
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

    private record Fields(String eventId, String type, JsonNode occurredAt, JsonNode data) {
    }
}
