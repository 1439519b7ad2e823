package org.ccbridge.sync;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/** The review queue table: changes parked for an operator, and their decisions. */
public class ReviewQueue {

    private final JdbcTemplate jdbc;

    public ReviewQueue(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Parks a change; returns the item's id. */
    public long add(String object, String recordKey, ReviewItem.Kind kind, String reason, RecordState stored,
                    Map<String, String> incomingFields, Long incomingVersion, SyncSystem incomingSystem,
                    String incomingEventId, Instant now) {
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement statement = connection.prepareStatement("INSERT INTO ccbridge_sync_reviews (object_name, "
                    + "record_key, kind, reason, stored_fields, stored_version, incoming_fields, incoming_version, "
                    + "incoming_system, incoming_event_id, created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'OPEN')",
                    new String[] {"id"});
            statement.setString(1, object);
            statement.setString(2, recordKey);
            statement.setString(3, kind.name());
            statement.setString(4, reason.length() <= 1000 ? reason : reason.substring(0, 1000));
            boolean hasStored = stored != null && stored.hasContent();
            statement.setString(5, hasStored ? FieldsJson.write(stored.fields()) : null);
            statement.setObject(6, hasStored ? stored.version() : null);
            statement.setString(7, FieldsJson.write(incomingFields));
            statement.setObject(8, incomingVersion);
            statement.setString(9, incomingSystem == null ? null : incomingSystem.name());
            statement.setString(10, incomingEventId);
            statement.setLong(11, now.toEpochMilli());
            return statement;
        }, keys);
        return keys.getKey().longValue();
    }

    /** Review items no operator has decided yet. */
    public long openCount() {
        Long open = jdbc.queryForObject("SELECT count(*) FROM ccbridge_sync_reviews WHERE state = 'OPEN'", Long.class);
        return open == null ? 0 : open;
    }

    public Optional<ReviewItem> find(long id) {
        return jdbc.query("SELECT * FROM ccbridge_sync_reviews WHERE id = ?", ReviewQueue::row, id).stream().findFirst();
    }

    /** Items in {@code state}, oldest first. */
    public List<ReviewItem> list(ReviewItem.State state, int limit, long afterId) {
        return jdbc.query("SELECT * FROM ccbridge_sync_reviews WHERE state = ? AND id > ? ORDER BY id LIMIT ?",
                ReviewQueue::row, state.name(), afterId, limit);
    }

    /** Open items of one record, oldest first. */
    public List<ReviewItem> openFor(String object, String recordKey) {
        return jdbc.query("SELECT * FROM ccbridge_sync_reviews WHERE object_name = ? AND record_key = ? "
                + "AND state = 'OPEN' ORDER BY id", ReviewQueue::row, object, recordKey);
    }

    /** Marks an open item decided; false when it was not open (decided meanwhile by someone else). */
    public boolean decide(long id, ReviewItem.Decision decision, Map<String, String> fields, String by, Instant now) {
        return jdbc.update("UPDATE ccbridge_sync_reviews SET state = 'DECIDED', decision = ?, decided_fields = ?, "
                + "decided_by = ?, decided_at = ? WHERE id = ? AND state = 'OPEN'", decision.name(),
                FieldsJson.write(fields), by, now.toEpochMilli(), id) == 1;
    }

    /** Closes the other open items of a record a decision has settled. */
    public int supersede(String object, String recordKey, long decidedId, String by, Instant now) {
        return jdbc.update("UPDATE ccbridge_sync_reviews SET state = 'DECIDED', decision = NULL, decided_by = ?, "
                + "decided_at = ? WHERE object_name = ? AND record_key = ? AND state = 'OPEN' AND id <> ?",
                by + " (superseded by review " + decidedId + ")", now.toEpochMilli(), object, recordKey, decidedId);
    }

    private static ReviewItem row(ResultSet rs, int index) throws SQLException {
        String system = rs.getString("incoming_system");
        String decision = rs.getString("decision");
        long decidedAt = rs.getLong("decided_at");
        boolean decided = !rs.wasNull();
        String storedFields = rs.getString("stored_fields");
        String decidedFields = rs.getString("decided_fields");
        return new ReviewItem(rs.getLong("id"), rs.getString("object_name"), rs.getString("record_key"),
                ReviewItem.Kind.valueOf(rs.getString("kind")), rs.getString("reason"),
                storedFields == null ? null : FieldsJson.read(storedFields), rs.getObject("stored_version", Long.class),
                FieldsJson.read(rs.getString("incoming_fields")), rs.getObject("incoming_version", Long.class),
                system == null ? null : SyncSystem.valueOf(system), rs.getString("incoming_event_id"),
                Instant.ofEpochMilli(rs.getLong("created_at")), ReviewItem.State.valueOf(rs.getString("state")),
                decision == null ? null : ReviewItem.Decision.valueOf(decision),
                decidedFields == null ? null : FieldsJson.read(decidedFields), rs.getString("decided_by"),
                decided ? Instant.ofEpochMilli(decidedAt) : null);
    }
}
