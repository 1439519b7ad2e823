package org.ccbridge.fate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The stories in {@code ccbridge_event_fate}: one row per entry, the detail as a JSON object.
 * Entries go in as multi-row inserts, which cost the database one statement for many rows.
 */
public class EventFateRepository {

    /** Rows per insert statement: 7 parameters each, well under every driver's limit. */
    private static final int ROWS_PER_STATEMENT = 100;
    private static final String INSERT = "INSERT INTO ccbridge_event_fate "
            + "(source, event_id, at, stage, record_key, trace_id, detail) VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?)";
    private static final TypeReference<Map<String, Object>> DETAIL = new TypeReference<>() {
    };

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    public EventFateRepository(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** An event seen in the journal: its source and id, and when its first entry was written. */
    public record EventRef(String source, String eventId, Instant firstAt) {
    }

    public void insertAll(List<FateEntry> entries) {
        for (int from = 0; from < entries.size(); from += ROWS_PER_STATEMENT) {
            List<FateEntry> chunk = entries.subList(from, Math.min(entries.size(), from + ROWS_PER_STATEMENT));
            Object[] parameters = new Object[chunk.size() * 7];
            int i = 0;
            for (FateEntry entry : chunk) {
                parameters[i++] = entry.source();
                parameters[i++] = entry.eventId();
                parameters[i++] = entry.at().toEpochMilli();
                parameters[i++] = entry.stage().name();
                parameters[i++] = entry.recordKey();
                parameters[i++] = entry.traceId();
                parameters[i++] = detailJson(entry.detail());
            }
            jdbc.update(INSERT + String.join(", ", Collections.nCopies(chunk.size(), ROW)), parameters);
        }
    }

    /** The event's entries, oldest first. */
    public List<FateEntry> story(String source, String eventId) {
        return jdbc.query("SELECT source, event_id, at, stage, record_key, trace_id, detail FROM ccbridge_event_fate"
                + " WHERE source = ? AND event_id = ? ORDER BY at, id", this::entry, source, eventId);
    }

    /** The events whose entries name a record ({@code object/key}), newest first. */
    public List<EventRef> eventsOfRecord(String recordKey, int limit) {
        return jdbc.query("SELECT source, event_id, MIN(at) AS first_at FROM ccbridge_event_fate"
                        + " WHERE record_key = ? GROUP BY source, event_id ORDER BY first_at DESC LIMIT ?",
                (rs, row) -> new EventRef(rs.getString("source"), rs.getString("event_id"),
                        Instant.ofEpochMilli(rs.getLong("first_at"))), recordKey, limit);
    }

    /** The events whose id is {@code eventId}, in any source. */
    public List<EventRef> eventsWithId(String eventId, int limit) {
        return jdbc.query("SELECT source, event_id, MIN(at) AS first_at FROM ccbridge_event_fate"
                        + " WHERE event_id = ? GROUP BY source, event_id ORDER BY first_at DESC LIMIT ?",
                (rs, row) -> new EventRef(rs.getString("source"), rs.getString("event_id"),
                        Instant.ofEpochMilli(rs.getLong("first_at"))), eventId, limit);
    }

    /** Deletes the entries written before {@code cutoff}; returns how many. */
    public int purgeBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM ccbridge_event_fate WHERE at < ?", cutoff.toEpochMilli());
    }

    private FateEntry entry(ResultSet rs, int row) throws SQLException {
        return new FateEntry(rs.getString("source"), rs.getString("event_id"), Instant.ofEpochMilli(rs.getLong("at")),
                FateStage.valueOf(rs.getString("stage")), rs.getString("record_key"), rs.getString("trace_id"),
                detail(rs.getString("detail")));
    }

    private String detailJson(Map<String, Object> detail) {
        try {
            return json.writeValueAsString(detail == null ? Map.of() : detail);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a fate entry's detail is not serializable", e);
        }
    }

    private Map<String, Object> detail(String text) {
        if (text == null) {
            return Map.of();
        }
        try {
            return json.readValue(text, DETAIL);
        } catch (JsonProcessingException e) {
            return Map.of("unreadable", true);
        }
    }
}
