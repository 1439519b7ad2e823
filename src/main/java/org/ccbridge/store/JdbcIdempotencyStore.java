package org.ccbridge.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.ccbridge.coordination.IdempotencyClaim;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.StoredResponse;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Idempotency-Key records in a relational table: the primary key does the claiming, an expired
 * lease is taken over by a conditional update, and completion is conditional on the claim token.
 */
public class JdbcIdempotencyStore implements IdempotencyStore {

    private static final int CLAIM_ATTEMPTS = 3;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcIdempotencyStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public IdempotencyClaim claim(String key, String requestHash, Duration lease) {
        return CoordinationCalls.jdbc(() -> {
            for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
                String token = UUID.randomUUID().toString();
                long now = clock.millis();
                if (insert(key, token, requestHash, now + lease.toMillis())
                        || jdbc.update("UPDATE ccbridge_idempotency SET claim_token = ?, request_hash = ?, status = NULL, "
                                + "headers = NULL, body = NULL, expires_at = ? WHERE idempotency_key = ? AND expires_at <= ?",
                                token, requestHash, now + lease.toMillis(), key, now) == 1) {
                    return IdempotencyClaim.claimed(token);
                }
                List<IdempotencyClaim> existing = jdbc.query("SELECT request_hash, status, headers, body "
                        + "FROM ccbridge_idempotency WHERE idempotency_key = ? AND expires_at > ?", (rs, i) -> {
                            if (!rs.getString(1).equals(requestHash)) {
                                return IdempotencyClaim.of(IdempotencyClaim.State.MISMATCH);
                            }
                            int status = rs.getInt(2);
                            return rs.wasNull() ? IdempotencyClaim.of(IdempotencyClaim.State.IN_FLIGHT)
                                    : IdempotencyClaim.completed(new StoredResponse(status,
                                            StoredResponseHeaders.read(rs.getString(3)), rs.getBytes(4)));
                        }, key, now);
                if (!existing.isEmpty()) {
                    return existing.get(0);
                }
            }
            throw new IllegalStateException("Idempotency record kept changing during " + CLAIM_ATTEMPTS + " attempts");
        });
    }

    @Override
    public boolean complete(String key, String token, StoredResponse response, Duration ttl) {
        return CoordinationCalls.jdbc(() -> jdbc.update("UPDATE ccbridge_idempotency SET status = ?, headers = ?, body = ?, "
                + "expires_at = ? WHERE idempotency_key = ? AND claim_token = ? AND status IS NULL",
                response.status(), StoredResponseHeaders.write(response.headers()), response.body(),
                clock.millis() + ttl.toMillis(), key, token) == 1);
    }

    @Override
    public boolean release(String key, String token) {
        return CoordinationCalls.jdbc(() -> jdbc.update(
                "DELETE FROM ccbridge_idempotency WHERE idempotency_key = ? AND claim_token = ? AND status IS NULL",
                key, token) == 1);
    }

    /** Deletes expired records; returns how many. */
    public int purgeExpired() {
        return CoordinationCalls.jdbc(() -> jdbc.update("DELETE FROM ccbridge_idempotency WHERE expires_at <= ?",
                clock.millis()));
    }

    private boolean insert(String key, String token, String requestHash, long expiresAt) {
        try {
            return jdbc.update("INSERT INTO ccbridge_idempotency (idempotency_key, claim_token, request_hash, expires_at) "
                    + "VALUES (?, ?, ?, ?)", key, token, requestHash, expiresAt) == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }
}
