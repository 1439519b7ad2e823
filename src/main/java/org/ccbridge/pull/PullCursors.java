package org.ccbridge.pull;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where each pulled source has read up to, in the relational store ({@code ccbridge_pull_cursors}).
 * A cursor is written with the fencing token of the lease its writer holds, and a write with a
 * token lower than the last one is refused: an instance that lost its lease while it fetched
 * cannot move the cursor of the instance that took over.
 */
public class PullCursors {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public PullCursors(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The cursor last stored for {@code source}, if any. */
    public Optional<String> read(String source) {
        List<String> cursors = jdbc.queryForList("SELECT cursor_value FROM ccbridge_pull_cursors WHERE source = ?",
                String.class, source);
        return cursors.stream().findFirst();
    }

    /**
     * Stores {@code cursor} for {@code source}, written under the lease with {@code fencingToken}.
     *
     * @throws StaleLeaseException when a holder with a greater token has written the cursor
     */
    public void advance(String source, String cursor, long fencingToken) {
        Timestamp now = Timestamp.from(clock.instant());
        int updated = jdbc.update("UPDATE ccbridge_pull_cursors SET cursor_value = ?, fencing_token = ?, updated_at = ? "
                + "WHERE source = ? AND fencing_token <= ?", cursor, fencingToken, now, source, fencingToken);
        if (updated == 1) {
            return;
        }
        try {
            jdbc.update("INSERT INTO ccbridge_pull_cursors (source, cursor_value, fencing_token, updated_at) "
                    + "VALUES (?, ?, ?, ?)", source, cursor, fencingToken, now);
        } catch (DuplicateKeyException e) {
            // the row exists, with a greater token than ours
            throw new StaleLeaseException(source, fencingToken);
        }
    }
}
