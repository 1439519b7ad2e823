package org.ccbridge.notify;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What was sent to whom, when, through which provider, and what came of it: one row per provider
 * call. The relay reads it before sending, to skip a notification another relay already had
 * accepted and to find the notification that puts a new one inside its dedup window.
 */
public class NotificationLedger {

    private final JdbcTemplate jdbc;

    public NotificationLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One provider call, as it is shown through the APIs. */
    public record Entry(String provider, DeliveryOutcome outcome, String detail, long recordedAt) {
    }

    public void record(NotificationMessage message, String provider, DeliveryOutcome outcome, String detail, long now) {
        jdbc.update("INSERT INTO ccbridge_notification_ledger (notification_id, provider, outcome, detail, channel, "
                + "recipient, customer_id, message_type, business_reference, recorded_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", message.id(), provider, outcome.name(),
                detail == null || detail.length() <= 500 ? detail : detail.substring(0, 500), message.channel(),
                message.recipient(), message.customerId(), message.messageType(), message.businessReference(), now);
    }

    /** Whether a provider accepted this notification already. */
    public boolean accepted(String notificationId) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notification_ledger "
                + "WHERE notification_id = ? AND outcome = 'ACCEPTED'", Integer.class, notificationId);
        return count != null && count > 0;
    }

    public List<Entry> entries(String notificationId) {
        return jdbc.query("SELECT provider, outcome, detail, recorded_at FROM ccbridge_notification_ledger "
                + "WHERE notification_id = ? ORDER BY id", (rs, i) -> new Entry(rs.getString(1),
                DeliveryOutcome.valueOf(rs.getString(2)), rs.getString(3), rs.getLong(4)), notificationId);
    }

    /**
     * The latest other notification of this customer and message type that may have reached the
     * customer (accepted, or sent without an answer) at or after {@code since}.
     */
    Optional<String> deliveredSince(NotificationMessage message, long since) {
        return jdbc.queryForList("SELECT notification_id FROM ccbridge_notification_ledger WHERE customer_id = ? "
                + "AND message_type = ? AND outcome IN ('ACCEPTED', 'UNCERTAIN') AND notification_id <> ? "
                + "AND recorded_at >= ? ORDER BY recorded_at DESC LIMIT 1", String.class, message.customerId(),
                message.messageType(), message.id(), since).stream().findFirst();
    }

    /** The latest other notification of this customer, message type and business reference that may have reached the customer. */
    Optional<String> deliveredForReference(NotificationMessage message) {
        return jdbc.queryForList("SELECT notification_id FROM ccbridge_notification_ledger WHERE customer_id = ? "
                + "AND message_type = ? AND business_reference = ? AND outcome IN ('ACCEPTED', 'UNCERTAIN') "
                + "AND notification_id <> ? ORDER BY recorded_at DESC LIMIT 1", String.class, message.customerId(),
                message.messageType(), message.businessReference(), message.id()).stream().findFirst();
    }
}
