package org.ccbridge.ingress;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Lenient reads of the few fields ingress needs from platform payloads.
 */
final class JsonFields {

    // Numbers below this are seconds since the epoch, above it milliseconds (Genesys createdTime).
    private static final long MILLIS_THRESHOLD = 100_000_000_000L;
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");

    private JsonFields() {
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || value.isContainerNode() ? null : value.asText();
    }

    /** The name of the first of {@code fields} that {@code node} has with a value, or null. */
    static String firstPresent(JsonNode node, String... fields) {
        for (String field : fields) {
            JsonNode value = node.get(field);
            if (value != null && !value.isNull()) {
                return field;
            }
        }
        return null;
    }

    /**
     * A timestamp as ISO-8601 text or epoch seconds/milliseconds, in UTC, between 2000 and 2100:
     * anything else is no time a platform event happened, and would be kept as an absurd
     * occurred-at that later comparisons (stale, newer) trust.
     *
     * @param field the field's name, for the rejection
     */
    static Instant instant(JsonNode value, String field) {
        Instant instant;
        try {
            if (value.isNumber() && value.canConvertToLong()) {
                instant = fromEpoch(value.asLong());
            } else if (value.isTextual() && value.asText().trim().matches("\\d{1,18}")) {
                instant = fromEpoch(Long.parseLong(value.asText().trim()));
            } else if (value.isTextual()) {
                instant = OffsetDateTime.parse(value.asText().trim()).toInstant();
            } else {
                throw notATime(field);
            }
        } catch (DateTimeException | NumberFormatException e) {
            throw notATime(field);
        }
        if (instant.isBefore(EARLIEST) || !instant.isBefore(LATEST)) {
            throw IngressRejectedException.invalid(field + " is out of range: event times lie between "
                    + EARLIEST + " and " + LATEST);
        }
        return instant;
    }

    private static IngressRejectedException notATime(String field) {
        return IngressRejectedException.invalid(field + " is neither ISO-8601 nor epoch seconds or milliseconds");
    }

    private static Instant fromEpoch(long value) {
        return Math.abs(value) < MILLIS_THRESHOLD ? Instant.ofEpochSecond(value) : Instant.ofEpochMilli(value);
    }
}
