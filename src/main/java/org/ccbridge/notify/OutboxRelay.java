package org.ccbridge.notify;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.ccbridge.coordination.JitteredBackoff;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends pending outbox rows. Safe with several instances: a poll claims a batch with
 * {@code FOR UPDATE SKIP LOCKED} and leases it to this relay, so no two relays send a row at
 * once; a relay that dies mid-batch leaves its rows to the next one when the lease runs out, and
 * that one sends them with the same idempotency key (the outbox id) and the same body.
 *
 * <p>Before sending, the relay reads the ledger: a row another relay already had accepted is
 * marked sent, and a row whose (customer, message type) had a notification delivered inside its
 * dedup window is SUPPRESSED with that notification's id. Then the channel's primary provider
 * gets it, and when the primary fails or its circuit is open, the secondary gets the same key and
 * body. Every provider call goes into the ledger. A row no provider took is retried with
 * exponential backoff and jitter; after the configured attempts, or when every provider refused
 * it for good, it is FAILED with its error, never dropped.
 */
public class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    /** How long a row waits while another relay sends a notification of the same (customer, type). */
    private static final long WAIT_FOR_PAIR_MILLIS = 1_000;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NotifyProperties.Relay settings;
    private final Map<String, List<HttpNotificationProvider>> providersByChannel;
    private final NotificationLedger ledger;
    private final DedupWindows windows;
    private final Clock clock;
    private final String owner = "relay-" + UUID.randomUUID();
    private final ExecutorService senders;

    /** @param providersByChannel per channel, the primary provider first, then the secondary if any */
    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, NotifyProperties.Relay settings,
                       Map<String, List<HttpNotificationProvider>> providersByChannel, NotificationLedger ledger,
                       DedupWindows windows, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.providersByChannel = Map.copyOf(providersByChannel);
        this.ledger = ledger;
        this.windows = windows;
        this.clock = clock;
        this.senders = settings.concurrency() <= 1 ? null : Executors.newFixedThreadPool(settings.concurrency(), sender -> {
            Thread thread = new Thread(sender, "ccbridge-outbox-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Claims one batch and sends it, {@code concurrency} rows at a time; returns how many rows it
     * claimed. A failure other than the provider's (the database went away) ends the batch; the
     * rows not finished come back when their lease runs out.
     */
    public int relayOnce() throws InterruptedException {
        List<String> claimed = claim();
        if (senders == null) {
            for (String id : claimed) {
                send(id);
            }
            return claimed.size();
        }
        List<Future<?>> sends = new ArrayList<>(claimed.size());
        for (String id : claimed) {
            sends.add(senders.submit(() -> {
                send(id);
                return null;
            }));
        }
        RuntimeException failure = null;
        for (Future<?> send : sends) {
            try {
                send.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
                failure = failure != null ? failure : e.getCause() instanceof RuntimeException runtime
                        ? runtime : new IllegalStateException(e.getCause());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return claimed.size();
    }

    /** Stops the sending threads; a send under way ends at its next interrupt check. */
    @Override
    public void close() {
        if (senders != null) {
            senders.shutdownNow();
        }
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
        List<HttpNotificationProvider> providers = providersByChannel.get(message.channel());
        if (providers == null) {
            fail(id, "no provider configured for channel " + message.channel());
            return;
        }
        if (ledger.accepted(id)) {
            markSent(message, null); // a relay whose lease ran out had it accepted; do not send it again
            return;
        }
        long now = clock.millis();
        DedupWindows.Decision decision = windows.reserve(message, now, now + settings.lease().toMillis());
        if (decision.verdict() == DedupWindows.Verdict.SUPPRESS) {
            suppress(id, decision.suppressedBy());
            return;
        }
        if (decision.verdict() == DedupWindows.Verdict.WAIT) {
            postpone(id, pending.get().attempts(), WAIT_FOR_PAIR_MILLIS, null);
            return;
        }
        sendThroughProviders(message, providers, pending.get().attempts());
    }

    private void sendThroughProviders(NotificationMessage message, List<HttpNotificationProvider> providers,
                                      int previousAttempts) throws InterruptedException {
        boolean retryable = false;
        StringBuilder errors = new StringBuilder();
        for (HttpNotificationProvider provider : providers) {
            try {
                provider.send(message);
                markSent(message, provider.name());
                return;
            } catch (ProviderException e) {
                if (e.outcome() != DeliveryOutcome.NOT_CALLED) {
                    ledger.record(message, provider.name(), e.outcome(), e.getMessage(), clock.millis());
                }
                retryable |= e.retryable();
                errors.append(errors.isEmpty() ? "" : "; ").append(e.getMessage());
            }
        }
        windows.release(message);
        int attempts = previousAttempts + 1;
        if (!retryable || attempts >= settings.attempts()) {
            fail(message.id(), errors + " (attempt " + attempts + ")");
        } else {
            postpone(message.id(), attempts, backoffMillis(attempts), errors.toString());
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

    /**
     * Records the provider's acceptance (null: recorded already) and marks the row sent, in one
     * transaction. A process that dies before this commits leaves the row PENDING: the next relay
     * sends it again with the same key, and the provider answers it as the request it has seen.
     */
    void markSent(NotificationMessage message, String acceptedBy) {
        transactions.executeWithoutResult(status -> {
            if (acceptedBy != null) {
                ledger.record(message, acceptedBy, DeliveryOutcome.ACCEPTED, null, clock.millis());
            }
            jdbc.update("UPDATE ccbridge_outbox SET status = 'SENT', lease_owner = NULL, lease_until = NULL, "
                    + "attempts = attempts + 1, last_error = NULL WHERE notification_id = ?", message.id());
            jdbc.update("UPDATE ccbridge_notifications SET status = 'SENT' WHERE id = ?", message.id());
            windows.release(message);
        });
    }

    private void suppress(String id, String sentId) {
        transactions.executeWithoutResult(status -> {
            jdbc.update("UPDATE ccbridge_outbox SET status = 'SUPPRESSED', lease_owner = NULL, lease_until = NULL "
                    + "WHERE notification_id = ?", id);
            jdbc.update("UPDATE ccbridge_notifications SET status = 'SUPPRESSED', suppressed_by = ? WHERE id = ?",
                    sentId, id);
        });
        LOG.info("Notification {} SUPPRESSED: {} was sent inside its dedup window", id, sentId);
    }

    private void postpone(String id, int attempts, long pause, String error) {
        jdbc.update("UPDATE ccbridge_outbox SET attempts = ?, next_attempt_at = ?, last_error = COALESCE(?, last_error), "
                + "lease_owner = NULL, lease_until = NULL WHERE notification_id = ? AND lease_owner = ?", attempts,
                clock.millis() + pause, truncate(error), id, owner);
        if (error != null) {
            LOG.info("Notification {} not sent ({}); attempt {} in {} ms", id, error, attempts + 1, pause);
        }
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
