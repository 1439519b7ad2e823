package org.ccbridge.notify;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Reads notifications for the APIs, and sends a FAILED one again when an operator asks. */
public class NotificationQueries {

    private static final Set<String> STATUSES = Set.of("PENDING", "SENT", "SUPPRESSED", "FAILED");
    private static final String SELECT = "SELECT n.id, n.client, n.channel, n.customer_id, n.message_type, "
            + "n.business_reference, n.status, n.suppressed_by, n.created_at, o.attempts, o.last_error "
            + "FROM ccbridge_notifications n JOIN ccbridge_outbox o ON o.notification_id = n.id ";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NotificationLedger ledger;
    private final Clock clock;

    public NotificationQueries(JdbcTemplate jdbc, TransactionTemplate transactions, NotificationLedger ledger, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Notifications given up on (FAILED) and not retried since. */
    public long failedCount() {
        Long failed = jdbc.queryForObject("SELECT count(*) FROM ccbridge_outbox WHERE status = 'FAILED'", Long.class);
        return failed == null ? 0 : failed;
    }

    public Optional<NotificationView> find(String id) {
        return jdbc.query(SELECT + "WHERE n.id = ?", this::view, id).stream().findFirst();
    }

    /** Notifications in one status, oldest first. */
    public List<NotificationView> byStatus(String status, int limit, int offset) {
        String wanted = status.toUpperCase(Locale.ROOT);
        if (!STATUSES.contains(wanted)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES);
        }
        return jdbc.query(SELECT + "WHERE n.status = ? ORDER BY n.created_at, n.id LIMIT ? OFFSET ?", this::view,
                wanted, limit, offset);
    }

    /**
     * Puts a FAILED notification back in the outbox with its attempts reset; the relay sends it
     * with the same idempotency key, so a provider that took it after all does not deliver twice.
     *
     * @throws NoSuchElementException when there is no such notification
     * @throws IllegalStateException  when it is not FAILED
     */
    public NotificationView retry(String id) {
        transactions.executeWithoutResult(status -> {
            NotificationView current = find(id).orElseThrow(() -> new NoSuchElementException("no notification " + id));
            if (!current.status().equals("FAILED")) {
                throw new IllegalStateException("notification " + id + " is " + current.status() + "; only FAILED ones are sent again");
            }
            jdbc.update("UPDATE ccbridge_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, "
                    + "lease_owner = NULL, lease_until = NULL WHERE notification_id = ?", clock.millis(), id);
            jdbc.update("UPDATE ccbridge_notifications SET status = 'PENDING' WHERE id = ?", id);
        });
        return find(id).orElseThrow();
    }

    private NotificationView view(ResultSet rs, int row) throws SQLException {
        String id = rs.getString(1);
        return new NotificationView(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getInt(10), rs.getString(11),
                ledger.entries(id));
    }
}
