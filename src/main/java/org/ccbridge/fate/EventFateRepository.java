package org.ccbridge.fate;

import java.io.IOException;
import java.io.StringReader;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The stories in {@code ccbridge_event_fate}: one row per entry, the detail as a JSON object.
 * A batch of entries goes in with one COPY on PostgreSQL and as multi-row inserts elsewhere.
 */
public class EventFateRepository {

    /** Rows per insert statement: 7 parameters each, well under every driver's limit. */
    private static final int ROWS_PER_STATEMENT = 100;
    private static final String INSERT = "INSERT INTO ccbridge_event_fate "
            + "(source, event_id, at, stage, record_key, trace_id, detail) VALUES ";
    private static final String ROW = "(?, ?, ?, ?, ?, ?, ?)";
    private static final String COPY = "COPY ccbridge_event_fate "
            + "(source, event_id, at, stage, record_key, trace_id, detail) FROM STDIN";
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
        if (entries.isEmpty()) {
            return;
        }
        Boolean copied = jdbc.execute((ConnectionCallback<Boolean>) connection -> {
            if (!connection.isWrapperFor(PGConnection.class)) {
                return false;
            }
            copy(connection.unwrap(PGConnection.class), entries);
            return true;
        });
        if (!Boolean.TRUE.equals(copied)) {
            insertInStatements(entries);
        }
    }

    /**
     * PostgreSQL: one COPY for the batch, its cheapest way in for the server (no statement to
     * parse and bind per row) and for us. Text format: tab-separated, {@code \N} for null.
     */
    private void copy(PGConnection connection, List<FateEntry> entries) throws SQLException {
        StringBuilder rows = new StringBuilder(entries.size() * 256);
        for (FateEntry entry : entries) {
            field(rows, entry.source()).append('\t');
            field(rows, entry.eventId()).append('\t');
            rows.append(entry.at().toEpochMilli()).append('\t');
            rows.append(entry.stage().name()).append('\t');
            field(rows, entry.recordKey()).append('\t');
            field(rows, entry.traceId()).append('\t');
            field(rows, detailJson(entry.detail())).append('\n');
        }
        try {
            connection.getCopyAPI().copyIn(COPY, new StringReader(rows.toString()));
        } catch (IOException e) {
            throw new SQLException("COPY of event fate entries failed", e);
        }
    }

    /** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
    private static StringBuilder field(StringBuilder rows, String value) {
        if (value == null) {
            return rows.append("\\N");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> rows.append("\\\\");
                case '\t' -> rows.append("\\t");
                case '\n' -> rows.append("\\n");
                case '\r' -> rows.append("\\r");
                default -> rows.append(c);
            }
        }
        return rows;
    }

    /** Any other database (H2, the embedded default): multi-row inserts. */
    private void insertInStatements(List<FateEntry> entries) {
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
                + " WHERE source = ? AND event_id = ? ORDER BY at", this::entry, source, eventId);
    }

    /** The events whose entries name a record ({@code object/key}), newest first. */
    public List<EventRef> eventsOfRecord(String recordKey, int limit) {
        return events("record_key", recordKey, limit);
    }

    /** The events whose id is {@code eventId}, in any source. */
    public List<EventRef> eventsWithId(String eventId, int limit) {
        return events("event_id", eventId, limit);
    }

    /** The events with entries whose {@code column} (a name of ours, never a caller's) is {@code value}. */
    private List<EventRef> events(String column, String value, int limit) {
        return jdbc.query("SELECT source, event_id, MIN(at) AS first_at FROM ccbridge_event_fate WHERE " + column
                        + " = ? GROUP BY source, event_id ORDER BY first_at DESC LIMIT ?",
                (rs, row) -> new EventRef(rs.getString("source"), rs.getString("event_id"),
                        Instant.ofEpochMilli(rs.getLong("first_at"))), value, limit);
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
