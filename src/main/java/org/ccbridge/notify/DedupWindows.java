package org.ccbridge.notify;

import java.util.List;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The dedup window per (client, customer id, message type): customer ids are the calling client's, so one
 * client's notifications never suppress another's. Before a relay sends, it locks the pair's row
 * and asks the ledger whether another notification of the pair may have reached the customer
 * inside the window; if so this one is suppressed, otherwise the relay reserves the pair until it
 * has sent, so that a second relay with another notification of the pair waits instead of sending
 * it too.
 *
 * <p>Every time is an instant in UTC (epoch milliseconds): a window never starts again at a local
 * midnight, and a fixed window of 24 hours is the UTC day wherever the recipient lives.
 */
public class DedupWindows {

    /** What the relay does with a notification. */
    public enum Verdict {
        SEND,
        SUPPRESS,
        /** Another relay is sending a notification of the same pair right now: try again shortly. */
        WAIT
    }

    /** @param suppressedBy the notification that was sent, when the verdict is SUPPRESS */
    public record Decision(Verdict verdict, String suppressedBy) {
    }

    private static final Decision SEND = new Decision(Verdict.SEND, null);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NotificationLedger ledger;
    private final NotifyProperties.Dedup settings;

    public DedupWindows(JdbcTemplate jdbc, TransactionTemplate transactions, NotificationLedger ledger,
                        NotifyProperties.Dedup settings) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.ledger = ledger;
        this.settings = settings;
    }

    /**
     * Decides and, for SEND, reserves the pair for this notification until {@code reservedUntil}
     * (the relay's lease: a relay that dies mid-send gives the pair up with its row).
     */
    public Decision reserve(NotificationMessage message, long now, long reservedUntil) {
        NotifyProperties.DedupWindow window = settings.windowFor(message.messageType());
        if (window.length().isZero() || window.length().isNegative()) {
            return SEND;
        }
        ensureRow(message);
        return transactions.execute(status -> {
            List<String[]> holder = jdbc.query("SELECT sending_id, sending_until FROM ccbridge_notification_windows "
                    + "WHERE client = ? AND customer_id = ? AND message_type = ? FOR UPDATE", (rs, i) -> new String[] {
                    rs.getString(1), rs.getString(2)}, message.client(), message.customerId(), message.messageType());
            String sendingId = holder.get(0)[0];
            if (sendingId != null && !sendingId.equals(message.id()) && Long.parseLong(holder.get(0)[1]) > now) {
                return new Decision(Verdict.WAIT, null);
            }
            Optional<String> delivered = deliveredInWindow(message, window, now);
            if (delivered.isPresent()) {
                return new Decision(Verdict.SUPPRESS, delivered.get());
            }
            jdbc.update("UPDATE ccbridge_notification_windows SET sending_id = ?, sending_until = ? "
                    + "WHERE client = ? AND customer_id = ? AND message_type = ?", message.id(), reservedUntil,
                    message.client(), message.customerId(), message.messageType());
            return SEND;
        });
    }

    /** Gives the pair up after sending (or failing to); the ledger now holds what was sent. */
    public void release(NotificationMessage message) {
        jdbc.update("UPDATE ccbridge_notification_windows SET sending_id = NULL, sending_until = NULL "
                + "WHERE client = ? AND customer_id = ? AND message_type = ? AND sending_id = ?", message.client(),
                message.customerId(), message.messageType(), message.id());
    }

    private Optional<String> deliveredInWindow(NotificationMessage message, NotifyProperties.DedupWindow window, long now) {
        long length = window.length().toMillis();
        return switch (window.mode()) {
            case SLIDING -> ledger.deliveredSince(message, now - length + 1);
            case FIXED -> ledger.deliveredSince(message, Math.floorDiv(now, length) * length);
            case REFERENCE -> message.businessReference() == null
                    ? ledger.deliveredSince(message, now - length + 1) // no run to tell: fall back to the sliding window
                    : ledger.deliveredForReference(message);
        };
    }

    private void ensureRow(NotificationMessage message) {
        Integer rows = jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notification_windows WHERE client = ? "
                + "AND customer_id = ? AND message_type = ?", Integer.class, message.client(), message.customerId(),
                message.messageType());
        if (rows != null && rows > 0) {
            return;
        }
        try {
            jdbc.update("INSERT INTO ccbridge_notification_windows (client, customer_id, message_type) VALUES (?, ?, ?)",
                    message.client(), message.customerId(), message.messageType());
        } catch (DuplicateKeyException raced) {
            // another relay created it first; either row serves
        }
    }
}
