package org.ccbridge.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.ccbridge.coordination.LockLease;
import org.ccbridge.coordination.LockStore;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Fenced locks in a relational table. Each change of hands is one conditional update that also
 * increments the row's fencing token, so two instances can never both take a lock and tokens
 * never repeat. Expiry uses the instances' clocks, which are assumed NTP-synchronized.
 */
public class JdbcLockStore implements LockStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcLockStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Optional<LockLease> acquire(String resource, String owner, Duration ttl) {
        return CoordinationCalls.jdbc(() -> {
            long now = clock.millis();
            long expiresAt = now + ttl.toMillis();
            boolean taken = jdbc.update("UPDATE ccbridge_locks SET owner = ?, fencing_token = fencing_token + 1, "
                    + "expires_at = ? WHERE resource = ? AND (owner IS NULL OR expires_at <= ?)",
                    owner, expiresAt, resource, now) == 1
                    || extend(resource, owner, now, expiresAt)
                    || insert(resource, owner, expiresAt);
            return taken ? lease(resource, owner) : Optional.empty();
        });
    }

    @Override
    public Optional<LockLease> renew(String resource, String owner, Duration ttl) {
        return CoordinationCalls.jdbc(() -> {
            long now = clock.millis();
            return extend(resource, owner, now, now + ttl.toMillis()) ? lease(resource, owner) : Optional.empty();
        });
    }

    @Override
    public boolean release(String resource, String owner) {
        return CoordinationCalls.jdbc(() -> jdbc.update(
                "UPDATE ccbridge_locks SET owner = NULL, expires_at = 0 WHERE resource = ? AND owner = ?",
                resource, owner) == 1);
    }

    private boolean extend(String resource, String owner, long now, long expiresAt) {
        return jdbc.update("UPDATE ccbridge_locks SET expires_at = ? WHERE resource = ? AND owner = ? AND expires_at > ?",
                expiresAt, resource, owner, now) == 1;
    }

    private boolean insert(String resource, String owner, long expiresAt) {
        try {
            return jdbc.update("INSERT INTO ccbridge_locks (resource, owner, fencing_token, expires_at) VALUES (?, ?, 1, ?)",
                    resource, owner, expiresAt) == 1;
        } catch (DuplicateKeyException e) {
            // the row exists and another owner holds it
            return false;
        }
    }

    private Optional<LockLease> lease(String resource, String owner) {
        List<LockLease> rows = jdbc.query(
                "SELECT fencing_token, expires_at FROM ccbridge_locks WHERE resource = ? AND owner = ?",
                (rs, i) -> new LockLease(resource, owner, rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2))),
                resource, owner);
        return rows.stream().findFirst();
    }
}
