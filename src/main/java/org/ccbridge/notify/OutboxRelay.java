package org.ccbridge.notify;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ccbridge.coordination.JitteredBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends pending outbox rows. Safe with several instances: a poll claims a batch with
 * {@code FOR UPDATE SKIP LOCKED} and leases it to this relay, so no two relays send a row at
 * once; a relay that dies mid-batch leaves its rows to the next one when the lease runs out, and
 * that one sends them with the same idempotency key (the outbox id) and the same body. A failed
 * send is retried with exponential backoff and jitter; after the configured attempts, or when the
 * provider refuses it for good, the row is FAILED with its error, never dropped.
 */
public class OutboxRelay {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NotifyProperties.Relay settings;
    private final Map<String, HttpNotificationProvider> providerByChannel;
    private final Clock clock;
    private final String owner = "relay-" + UUID.randomUUID();

    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, NotifyProperties.Relay settings,
                       Map<String, HttpNotificationProvider> providerByChannel, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.providerByChannel = Map.copyOf(providerByChannel);
        this.clock = clock;
    }

    /** Claims one batch and sends it; returns how many rows it claimed. */
    public int relayOnce() throws InterruptedException {
        List<String> claimed = claim();
        for (String id : claimed) {
            send(id);
        }
        return claimed.size();
    }

    /** Leases up to a batch of due rows to this relay. */
    List<String> claim() {
        return transactions.execute(status -> {
            long now = clock.millis();
            List<String> ids = jdbc.queryForList("SELECT notification_id FROM ccbridge_outbox WHERE status = 'PENDING' "
                    + "AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) "
                    + "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED", String.class, now, now,
                    settings.batchSize());
            for (String id : ids) {
                jdbc.update("UPDATE ccbridge_outbox SET lease_owner = ?, lease_until = ? WHERE notification_id = ?",
                        owner, now + settings.lease().toMillis(), id);
            }
            return ids;
        });
    }

    private void send(String id) throws InterruptedException {
        Optional<Pending> pending = load(id);
        if (pending.isEmpty()) {
            return; // another relay took it over after our lease ran out, and finished it
        }
        NotificationMessage message = pending.get().message();
        HttpNotificationProvider provider = providerByChannel.get(message.channel());
        if (provider == null) {
            fail(id, "no provider configured for channel " + message.channel());
            return;
        }
        try {
            provider.send(message);
            markSent(id);
        } catch (ProviderException e) {
            int attempts = pending.get().attempts() + 1;
            if (!e.retryable() || attempts >= settings.attempts()) {
                fail(id, e.getMessage() + " (attempt " + attempts + ")");
            } else {
                retryLater(id, attempts, e.getMessage());
            }
        }
    }

    private record Pending(NotificationMessage message, int attempts) {
    }

    private Optional<Pending> load(String id) {
        return jdbc.query("SELECT n.channel, n.recipient, n.template, n.body, n.customer_id, n.message_type, "
                + "n.business_reference, o.attempts FROM ccbridge_outbox o JOIN ccbridge_notifications n "
                + "ON n.id = o.notification_id WHERE o.notification_id = ? AND o.status = 'PENDING' AND o.lease_owner = ?",
                (rs, i) -> new Pending(new NotificationMessage(id, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)), rs.getInt(8)),
                id, owner).stream().findFirst();
    }

    private void markSent(String id) {
        transactions.executeWithoutResult(status -> {
            jdbc.update("UPDATE ccbridge_outbox SET status = 'SENT', lease_owner = NULL, lease_until = NULL, "
                    + "attempts = attempts + 1 WHERE notification_id = ?", id);
            jdbc.update("UPDATE ccbridge_notifications SET status = 'SENT' WHERE id = ?", id);
        });
    }

    private void retryLater(String id, int attempts, String error) {
        long pause = backoffMillis(attempts);
        jdbc.update("UPDATE ccbridge_outbox SET attempts = ?, next_attempt_at = ?, last_error = ?, lease_owner = NULL, "
                + "lease_until = NULL WHERE notification_id = ? AND lease_owner = ?", attempts, clock.millis() + pause,
                truncate(error), id, owner);
        LOG.info("Notification {} not sent ({}); attempt {} in {} ms", id, error, attempts + 1, pause);
    }

    private void fail(String id, String error) {
        transactions.executeWithoutResult(status -> {
            jdbc.update("UPDATE ccbridge_outbox SET status = 'FAILED', attempts = attempts + 1, last_error = ?, "
                    + "lease_owner = NULL, lease_until = NULL WHERE notification_id = ?", truncate(error), id);
            jdbc.update("UPDATE ccbridge_notifications SET status = 'FAILED' WHERE id = ?", id);
        });
        LOG.warn("Notification {} FAILED: {}", id, error);
    }

    long backoffMillis(int attempts) {
        return new JitteredBackoff(settings.initialBackoff(), settings.maxBackoff()).millis(attempts);
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
