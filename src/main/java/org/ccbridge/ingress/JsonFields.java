package org.ccbridge.ingress;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lenient reads of the few fields ingress needs from platform payloads.
 */
final class JsonFields {

    // Numbers below this are seconds since the epoch, above it milliseconds (Genesys createdTime).
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;

    private JsonFields() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    static JsonNode first(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull()) {
                return value;
            }
        }
        return null;
    }

    /** A timestamp as ISO-8601 text or epoch seconds/milliseconds, in UTC. */
    static Instant instant(JsonNode value) {
        if (value.isNumber()) {
            return fromEpoch(value.asLong());
        }
        String text = value.asText().trim();
        try {
            if (text.matches("\\d+")) {
                return fromEpoch(Long.parseLong(text));
            }
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw IngressRejectedException.invalid("timestamp is neither ISO-8601 nor epoch time");
        }
    }

    private static Instant fromEpoch(long value) {
        return value < MILLIS_THRESHOLD ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
    }
}
