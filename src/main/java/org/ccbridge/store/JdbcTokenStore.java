package org.ccbridge.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.ccbridge.auth.CachedToken;
import org.ccbridge.auth.RefreshBackoff;
import org.ccbridge.auth.TokenStore;
import org.springframework.jdbc.core.JdbcTemplate;

/** Access tokens and refresh backoffs in relational tables, one row per OAuth client. */
public class JdbcTokenStore implements TokenStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcTokenStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public Optional<CachedToken> get(String client) {
        return CoordinationCalls.jdbc(() -> {
            List<CachedToken> rows = jdbc.query(
                    "SELECT access_token, refresh_at FROM ccbridge_oauth_tokens WHERE client = ? AND expires_at > ?",
                    (rs, i) -> new CachedToken(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))),
                    client, clock.millis());
            return rows.stream().findFirst();
        });
    }

    @Override
    public void put(String client, CachedToken token, Duration ttl) {
        CoordinationCalls.jdbc(() -> {
            long expiresAt = clock.millis() + ttl.toMillis();
            // standard MERGE: PostgreSQL 15 and H2 both run it
            return jdbc.update("MERGE INTO ccbridge_oauth_tokens t USING (SELECT CAST(? AS VARCHAR(255)) AS client) s "
                    + "ON t.client = s.client "
                    + "WHEN MATCHED THEN UPDATE SET access_token = ?, refresh_at = ?, expires_at = ? "
                    + "WHEN NOT MATCHED THEN INSERT (client, access_token, refresh_at, expires_at) VALUES (?, ?, ?, ?)",
                    client, token.accessToken(), token.refreshAt().toEpochMilli(), expiresAt,
                    client, token.accessToken(), token.refreshAt().toEpochMilli(), expiresAt);
        });
    }

    @Override
    public boolean invalidate(String client, String accessToken) {
        return CoordinationCalls.jdbc(() -> jdbc.update(
                "DELETE FROM ccbridge_oauth_tokens WHERE client = ? AND access_token = ?", client, accessToken) == 1);
    }

    @Override
    public Optional<RefreshBackoff> refreshBackoff(String client) {
        return CoordinationCalls.jdbc(() -> jdbc.query(
                "SELECT refusals, retry_at FROM ccbridge_oauth_refresh_backoff WHERE client = ? AND expires_at > ?",
                (rs, i) -> new RefreshBackoff(rs.getInt(1), Instant.ofEpochMilli(rs.getLong(2))),
                client, clock.millis()).stream().findFirst());
    }

    @Override
    public void putRefreshBackoff(String client, RefreshBackoff backoff, Duration ttl) {
        CoordinationCalls.jdbc(() -> {
            long expiresAt = clock.millis() + ttl.toMillis();
            long retryAt = backoff.retryAt().toEpochMilli();
            return jdbc.update("MERGE INTO ccbridge_oauth_refresh_backoff t "
                    + "USING (SELECT CAST(? AS VARCHAR(255)) AS client) s ON t.client = s.client "
                    + "WHEN MATCHED THEN UPDATE SET refusals = ?, retry_at = ?, expires_at = ? "
                    + "WHEN NOT MATCHED THEN INSERT (client, refusals, retry_at, expires_at) VALUES (?, ?, ?, ?)",
                    client, backoff.refusals(), retryAt, expiresAt, client, backoff.refusals(), retryAt, expiresAt);
        });
    }

    @Override
    public void clearRefreshBackoff(String client) {
        CoordinationCalls.jdbc(() -> jdbc.update("DELETE FROM ccbridge_oauth_refresh_backoff WHERE client = ?", client));
    }
}
