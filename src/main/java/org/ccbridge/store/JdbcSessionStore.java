package org.ccbridge.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.ccbridge.coordination.SessionContent;
import org.ccbridge.coordination.SessionStore;
import org.ccbridge.coordination.StoredSession;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Session state in a relational table; a replace is one {@code UPDATE} conditional on the
 * version, so concurrent writers serialize in the database and exactly one wins.
 */
public class JdbcSessionStore implements SessionStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcSessionStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Optional<StoredSession> get(String key) {
        return CoordinationCalls.jdbc(() -> {
            List<StoredSession> rows = jdbc.query("SELECT version, content, compressed, content_type, region "
                    + "FROM ccbridge_sessions WHERE session_key = ? AND expires_at > ?",
                    (rs, i) -> new StoredSession(key, rs.getLong(1), new SessionContent(rs.getBytes(2), rs.getBoolean(3),
                            rs.getString(4), rs.getString(5))),
                    key, clock.millis());
            return rows.stream().findFirst();
        });
    }

    @Override
    public Optional<StoredSession> create(String key, SessionContent content, Duration ttl) {
        return CoordinationCalls.jdbc(() -> {
            long now = clock.millis();
            // an expired session is absent: its row must not block the new one
            jdbc.update("DELETE FROM ccbridge_sessions WHERE session_key = ? AND expires_at <= ?", key, now);
            try {
                jdbc.update("INSERT INTO ccbridge_sessions (session_key, version, content, compressed, content_type, "
                        + "region, expires_at) VALUES (?, 1, ?, ?, ?, ?, ?)", key, content.bytes(), content.compressed(),
                        content.contentType(), content.region(), now + ttl.toMillis());
                return Optional.of(new StoredSession(key, 1, content));
            } catch (DuplicateKeyException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public Optional<StoredSession> replace(String key, long expectedVersion, SessionContent content, Duration ttl) {
        return CoordinationCalls.jdbc(() -> {
            long now = clock.millis();
            int updated = jdbc.update("UPDATE ccbridge_sessions SET version = version + 1, content = ?, compressed = ?, "
                    + "content_type = ?, region = ?, expires_at = ? WHERE session_key = ? AND version = ? AND expires_at > ?",
                    content.bytes(), content.compressed(), content.contentType(), content.region(), now + ttl.toMillis(),
                    key, expectedVersion, now);
            return updated == 1 ? Optional.of(new StoredSession(key, expectedVersion + 1, content)) : Optional.empty();
        });
    }

    @Override
    public boolean delete(String key, Long expectedVersion) {
        return CoordinationCalls.jdbc(() -> expectedVersion == null
                ? jdbc.update("DELETE FROM ccbridge_sessions WHERE session_key = ? AND expires_at > ?", key,
                        clock.millis()) == 1
                : jdbc.update("DELETE FROM ccbridge_sessions WHERE session_key = ? AND version = ? AND expires_at > ?",
                        key, expectedVersion, clock.millis()) == 1);
    }

    /** Deletes expired sessions; returns how many. */
    public int purgeExpired() {
        return CoordinationCalls.jdbc(() -> jdbc.update("DELETE FROM ccbridge_sessions WHERE expires_at <= ?", clock.millis()));
    }
}
