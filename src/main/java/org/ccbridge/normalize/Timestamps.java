package org.ccbridge.normalize;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Timestamps to UTC. Accepts ISO-8601 with an offset in any of the usual spellings
 * ({@code Z}, {@code +02:00}, and Salesforce's {@code +0000}) and epoch milliseconds. A local
 * time without an offset is refused: which zone it meant cannot be known.
 */
public final class Timestamps {

    private static final DateTimeFormatter ISO_ANY_OFFSET = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME)
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private Timestamps() {
    }

    /** A JSON number (epoch milliseconds) or text (ISO-8601 with an offset). */
    public static Instant read(String field, JsonNode node) {
        return node.isIntegralNumber() ? Instant.ofEpochMilli(node.asLong()) : parse(field, node.asText());
    }

    /** An ISO-8601 date-time with an offset, as an instant truncated to milliseconds. */
    public static Instant parse(String field, String text) {
        try {
            return OffsetDateTime.parse(text.trim(), ISO_ANY_OFFSET).toInstant().truncatedTo(ChronoUnit.MILLIS);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldValueException(field, "not an ISO-8601 date-time with an offset");
        }
    }
}
