package org.ccbridge.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

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
    private final Map<String, ChannelRoute> routes;
    private final NotificationLedger ledger;
    private final DedupWindows windows;
    private final Clock clock;
    private final String owner = "relay-" + UUID.randomUUID();
    private final ExecutorService senders;
    private final AtomicInteger postponedInBatch = new AtomicInteger();
    private volatile String lastPostponeReason;

    /** @param routes per channel, its providers */
    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, NotifyProperties.Relay settings,
                       Map<String, ChannelRoute> routes, NotificationLedger ledger, DedupWindows windows, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.routes = Map.copyOf(routes);
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
        postponedInBatch.set(0);
        List<String> claimed = claim();
        try {
            sendAll(claimed);
        } finally {
            int postponed = postponedInBatch.get();
            if (postponed > 0) {
                // one line per batch: an outage would otherwise log a line per row per try
                LOG.info("{} of {} notifications not sent and postponed, e.g. {}", postponed, claimed.size(),
                        lastPostponeReason);
            }
        }
        return claimed.size();
    }

    private void sendAll(List<String> claimed) throws InterruptedException {
        if (senders == null) {
            for (String id : claimed) {
                send(id);
            }
            return;
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
            return; // another relay took it over after our lease ran out
        }
        NotificationMessage message = pending.get().message();
        ChannelRoute route = routes.get(message.channel());
        if (route == null) {
            fail(id, "no provider configured for channel " + message.channel());
            return;
        }
        NotificationLedger.History history = ledger.history(id);
        if (history.accepted()) {
            markSent(message, null, -1); // a relay whose lease ran out had it accepted; do not send it again
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
        sendThroughProviders(message, route, history.providersThatMayHaveIt(), pending.get().attempts());
    }

    /**
     * One attempt: the providers in turn until one accepts. A provider that may have the message
     * from an earlier attempt comes first, since it answers the repeated key without delivering
     * again. A primary that may have delivered hands over to the secondary only when the channel
     * says so ({@code fallback-on-uncertain}).
     */
    private void sendThroughProviders(NotificationMessage message, ChannelRoute route, List<String> mayHaveIt,
                                      int previousAttempts) throws InterruptedException {
        boolean retryable = false;
        boolean called = false;
        Duration untilCallable = null;
        StringBuilder errors = new StringBuilder();
        for (HttpNotificationProvider provider : route.orderFor(mayHaveIt)) {
            long[] entry = {-1};
            try {
                provider.send(message, () -> entry[0] = ledger.begin(message, provider.name(), clock.millis()));
                markSent(message, provider.name(), entry[0]);
                return;
            } catch (ProviderException e) {
                if (e.outcome() == DeliveryOutcome.NOT_CALLED) {
                    untilCallable = untilCallable == null || e.retryAfter().compareTo(untilCallable) < 0
                            ? e.retryAfter() : untilCallable;
                    if (entry[0] >= 0) { // begun, then no token came: the request never left
                        ledger.finish(entry[0], DeliveryOutcome.NOT_CALLED, e.getMessage());
                    }
                } else {
                    called = true;
                    ledger.finish(entry[0], e.outcome(), e.getMessage());
                }
                retryable |= e.retryable();
                errors.append(errors.isEmpty() ? "" : "; ").append(e.getMessage());
                if (e.outcome() == DeliveryOutcome.UNCERTAIN && !route.fallbackOnUncertain()) {
                    break;
                }
            }
        }
        windows.release(message);
        if (!called) {
            // no provider could be asked (open circuits, no permit, no token): not an attempt, or
            // an outage longer than the backoff would fail every pending notification
            postpone(message.id(), previousAttempts, jittered(untilCallable), errors.toString());
            return;
        }
        int attempts = previousAttempts + 1;
        if (!retryable || attempts >= settings.attempts()) {
            fail(message.id(), errors + " (attempt " + attempts + ")");
        } else {
            postpone(message.id(), attempts, backoffMillis(attempts), errors.toString());
        }
    }

    /** {@code pause} plus up to 20 %, so that rows postponed together do not come back together. */
    private static long jittered(Duration pause) {
        long millis = Math.max(pause.toMillis(), 100);
        return millis + ThreadLocalRandom.current().nextLong(millis / 5 + 1);
    }

    private record Pending(NotificationMessage message, int attempts) {
    }

    /**
     * The row, if it is still this relay's: its lease is renewed first, so that a row late in a
     * slow batch is not sent after another relay has taken it over.
     */
    private Optional<Pending> load(String id) {
        long now = clock.millis();
        if (jdbc.update("UPDATE ccbridge_outbox SET lease_until = ? WHERE notification_id = ? AND lease_owner = ? "
                + "AND status = 'PENDING' AND lease_until > ?", now + settings.lease().toMillis(), id, owner, now) == 0) {
            return Optional.empty();
        }
        return jdbc.query("SELECT n.channel, n.recipient, n.template, n.body, n.customer_id, n.message_type, "
                + "n.business_reference, o.attempts, n.client FROM ccbridge_outbox o JOIN ccbridge_notifications n "
                + "ON n.id = o.notification_id WHERE o.notification_id = ? AND o.status = 'PENDING' AND o.lease_owner = ?",
                (rs, i) -> new Pending(new NotificationMessage(id, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(9)),
                        rs.getInt(8)),
                id, owner).stream().findFirst();
    }

    /**
     * Records the provider's acceptance of the call {@code entry} began (null: recorded already) and
     * marks the row sent, in one transaction. A process that dies before this commits leaves the
     * row PENDING and the call IN_FLIGHT: the next relay sends it again, to that provider first,
     * with the same key, and the provider answers it as the request it has seen.
     */
    void markSent(NotificationMessage message, String acceptedBy, long entry) {
        transactions.executeWithoutResult(status -> {
            if (acceptedBy != null) {
                ledger.finish(entry, DeliveryOutcome.ACCEPTED, null);
            }
            jdbc.update("UPDATE ccbridge_outbox SET status = 'SENT', lease_owner = NULL, lease_until = NULL, "
                    + "attempts = attempts + 1, last_error = NULL WHERE notification_id = ?", message.id());
            jdbc.update("UPDATE ccbridge_notifications SET status = 'SENT' WHERE id = ?", message.id());
            windows.release(message);
        });
    }

    private void suppress(String id, String sentId) {
        transactions.executeWithoutResult(status -> {
            if (jdbc.update("UPDATE ccbridge_outbox SET status = 'SUPPRESSED', lease_owner = NULL, lease_until = NULL "
                    + "WHERE notification_id = ? AND status = 'PENDING' AND lease_owner = ?", id, owner) == 1) {
                jdbc.update("UPDATE ccbridge_notifications SET status = 'SUPPRESSED', suppressed_by = ? WHERE id = ?",
                        sentId, id);
            }
        });
        LOG.info("Notification {} SUPPRESSED: {} was sent inside its dedup window", id, sentId);
    }

    private void postpone(String id, int attempts, long pause, String error) {
        jdbc.update("UPDATE ccbridge_outbox SET attempts = ?, next_attempt_at = ?, last_error = COALESCE(?, last_error), "
                + "lease_owner = NULL, lease_until = NULL WHERE notification_id = ? AND lease_owner = ?", attempts,
                clock.millis() + pause, truncate(error), id, owner);
        if (error != null) {
            postponedInBatch.incrementAndGet();
            lastPostponeReason = error;
            LOG.debug("Notification {} not sent ({}); next try in {} ms", id, error, pause);
        }
    }

    private void fail(String id, String error) {
        transactions.executeWithoutResult(status -> {
            // only while the row is still this relay's: another may have sent it after our lease ran out
            if (jdbc.update("UPDATE ccbridge_outbox SET status = 'FAILED', attempts = attempts + 1, last_error = ?, "
                    + "lease_owner = NULL, lease_until = NULL WHERE notification_id = ? AND status = 'PENDING' "
                    + "AND lease_owner = ?", truncate(error), id, owner) == 1) {
                jdbc.update("UPDATE ccbridge_notifications SET status = 'FAILED' WHERE id = ?", id);
            }
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
