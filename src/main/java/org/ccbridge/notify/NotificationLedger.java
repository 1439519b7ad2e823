package org.ccbridge.notify;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

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

    private static final String INSERT = "INSERT INTO ccbridge_notification_ledger (notification_id, provider, outcome, "
            + "detail, channel, recipient, customer_id, message_type, business_reference, recorded_at, client) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /**
     * Records, and commits, that a call to {@code provider} is going out, before it does: if the
     * process stops mid-call, the row stays IN_FLIGHT, and the next relay knows which provider
     * may have the message and the dedup window counts it.
     *
     * @return the entry, for {@link #finish}
     */
    public long begin(NotificationMessage message, String provider, long now) {
        KeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"});
            Object[] values = {message.id(), provider, DeliveryOutcome.IN_FLIGHT.name(), null, message.channel(),
                    message.recipient(), message.customerId(), message.messageType(), message.businessReference(), now,
                    message.client()};
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            return insert;
        }, key);
        return key.getKey().longValue();
    }

    /** What came of the call {@code entry} began. */
    public void finish(long entry, DeliveryOutcome outcome, String detail) {
        jdbc.update("UPDATE ccbridge_notification_ledger SET outcome = ?, detail = ? WHERE id = ?", outcome.name(),
                detail == null || detail.length() <= 500 ? detail : detail.substring(0, 500), entry);
    }

    /** A call recorded in one step, for tests and imports. */
    public void record(NotificationMessage message, String provider, DeliveryOutcome outcome, String detail, long now) {
        finish(begin(message, provider, now), outcome, detail);
    }

    /** What the ledger says of one notification before it is sent (again). */
    record History(boolean accepted, List<String> providersThatMayHaveIt) {
    }

    /**
     * Whether a provider accepted this notification already, and which providers may have it
     * without having said so (UNCERTAIN, or IN_FLIGHT when a relay stopped mid-call), most recent
     * first: a resend goes to them first, since they deduplicate by the key.
     */
    History history(String notificationId) {
        boolean accepted = false;
        List<String> mayHaveIt = new ArrayList<>();
        for (Entry entry : entries(notificationId)) {
            accepted |= entry.outcome() == DeliveryOutcome.ACCEPTED;
            if (entry.outcome() == DeliveryOutcome.UNCERTAIN || entry.outcome() == DeliveryOutcome.IN_FLIGHT) {
                mayHaveIt.remove(entry.provider());
                mayHaveIt.add(0, entry.provider());
            }
        }
        return new History(accepted, mayHaveIt);
    }

    public List<Entry> entries(String notificationId) {
        return jdbc.query("SELECT provider, outcome, detail, recorded_at FROM ccbridge_notification_ledger "
                + "WHERE notification_id = ? ORDER BY id", (rs, i) -> new Entry(rs.getString(1),
                DeliveryOutcome.valueOf(rs.getString(2)), rs.getString(3), rs.getLong(4)), notificationId);
    }

    /**
     * The latest other notification of this client's customer and message type that may have
     * reached the customer (accepted, sent without an answer, or being sent) at or after {@code since}.
     */
    Optional<String> deliveredSince(NotificationMessage message, long since) {
        return jdbc.queryForList("SELECT notification_id FROM ccbridge_notification_ledger WHERE client = ? "
                + "AND customer_id = ? AND message_type = ? AND outcome IN ('ACCEPTED', 'UNCERTAIN', 'IN_FLIGHT') "
                + "AND notification_id <> ? AND recorded_at >= ? ORDER BY recorded_at DESC LIMIT 1", String.class,
                message.client(), message.customerId(), message.messageType(), message.id(), since).stream().findFirst();
    }

    /** The latest other notification of this customer, message type and business reference that may have reached the customer. */
    Optional<String> deliveredForReference(NotificationMessage message) {
        return jdbc.queryForList("SELECT notification_id FROM ccbridge_notification_ledger WHERE client = ? "
                + "AND customer_id = ? AND message_type = ? AND business_reference = ? "
                + "AND outcome IN ('ACCEPTED', 'UNCERTAIN', 'IN_FLIGHT') AND notification_id <> ? "
                + "ORDER BY recorded_at DESC LIMIT 1", String.class, message.client(), message.customerId(),
                message.messageType(), message.businessReference(), message.id()).stream().findFirst();
    }
}
