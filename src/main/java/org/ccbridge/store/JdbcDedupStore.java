package org.ccbridge.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.ccbridge.dedup.Claim;
import org.ccbridge.dedup.ClaimState;
import org.ccbridge.dedup.DedupStore;
import org.ccbridge.dedup.DedupStoreUnavailableException;
import org.ccbridge.dedup.StoredClaim;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Dedup claims in a relational table (PostgreSQL in production, H2 embedded).
 *
 * <p>The primary key does the claiming: an insert wins or fails, and an expired claim is taken
 * over by a conditional update, so two instances can never both hold one key. Expiry times are
 * epoch milliseconds from the instances' clocks, which are assumed NTP-synchronized.
 */
public class JdbcDedupStore implements DedupStore {

    // A row can vanish between the failed insert and the select (released or purged); a few
    // rounds settle that race without looping forever on a broken database.
    private static final int CLAIM_ATTEMPTS = 3;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcDedupStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Claim claim(String key, String payloadHash, Duration lease) {
        return call(() -> {
            for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
                String token = UUID.randomUUID().toString();
                long now = clock.millis();
                long expiresAt = now + lease.toMillis();
                if (insert(key, token, payloadHash, expiresAt) || takeOverExpired(key, token, payloadHash, now, expiresAt)) {
                    return Claim.claimed(token);
                }
                StoredClaim existing = find(key, now);
                if (existing != null) {
                    return Claim.existing(existing.answerFor(payloadHash));
                }
            }
            throw new IllegalStateException("Claim for key kept changing during " + CLAIM_ATTEMPTS + " attempts");
        });
    }

    @Override
    public boolean confirm(String key, String token, Duration ttl) {
        return call(() -> jdbc.update(
                "UPDATE ccbridge_dedup SET done = TRUE, expires_at = ? WHERE dedup_key = ? AND claim_token = ? AND done = FALSE",
                clock.millis() + ttl.toMillis(), key, token) == 1);
    }

    @Override
    public boolean release(String key, String token) {
        return call(() -> jdbc.update(
                "DELETE FROM ccbridge_dedup WHERE dedup_key = ? AND claim_token = ? AND done = FALSE",
                key, token) == 1);
    }

    @Override
    public ClaimState lookup(String key, String payloadHash) {
        return call(() -> {
            StoredClaim existing = find(key, clock.millis());
            return existing == null ? null : existing.answerFor(payloadHash);
        });
    }

    @Override
    public void ping() {
        call(() -> jdbc.queryForObject("SELECT 1", Integer.class));
    }

    /** Deletes expired claims; returns how many. Expired rows are already ignored by claims. */
    public int purgeExpired() {
        return call(() -> jdbc.update("DELETE FROM ccbridge_dedup WHERE expires_at <= ?", clock.millis()));
    }

    private boolean insert(String key, String token, String payloadHash, long expiresAt) {
        try {
            return jdbc.update(
                    "INSERT INTO ccbridge_dedup (dedup_key, claim_token, payload_hash, done, expires_at) VALUES (?, ?, ?, FALSE, ?)",
                    key, token, payloadHash, expiresAt) == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    private boolean takeOverExpired(String key, String token, String payloadHash, long now, long expiresAt) {
        return jdbc.update(
                "UPDATE ccbridge_dedup SET claim_token = ?, payload_hash = ?, done = FALSE, expires_at = ? WHERE dedup_key = ? AND expires_at <= ?",
                token, payloadHash, expiresAt, key, now) == 1;
    }

    private StoredClaim find(String key, long now) {
        List<StoredClaim> rows = jdbc.query(
                "SELECT done, claim_token, payload_hash FROM ccbridge_dedup WHERE dedup_key = ? AND expires_at > ?",
                (rs, i) -> new StoredClaim(rs.getBoolean(1), rs.getString(2), rs.getString(3)), key, now);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException e) {
            throw new DedupStoreUnavailableException("Database did not answer: " + e.getMostSpecificCause().getMessage(), e);
        }
    }
}
