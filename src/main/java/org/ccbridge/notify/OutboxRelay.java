package org.ccbridge.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
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

import org.ccbridge.batch.Gatherer;
import org.ccbridge.coordination.JitteredBackoff;
import org.ccbridge.notify.OutboxOutcomes.Outcome;
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
 * dedup window is SUPPRESSED with that notification's id. Then the route {@code notify-send}
 * ({@code routes/notify-send.camel.yaml}) makes the attempt: the channel's primary provider gets
 * it, and when the primary fails or its circuit is open, the secondary gets the same key and body
 * ({@link SendAttempt} carries the rules). Every provider call goes into the ledger. A row no
 * provider took is retried with exponential backoff and jitter; after the configured attempts, or
 * when every provider refused it for good, it is FAILED with its error, never dropped.
 *
 * <p>Only the provider call is made per row. The claim, the ledger reads and the dedup
 * reservations are one transaction per batch; the lease renewals and IN_FLIGHT entries before the
 * calls, and the outcomes after them, are gathered across the rows being sent at that moment into
 * one transaction each. How many calls a provider gets at once adapts to its latency and load
 * shedding ({@link ProviderConcurrency}).
 */
public class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    /** How long a row waits while another relay sends a notification of the same (customer, type). */
    private static final long WAIT_FOR_PAIR_MILLIS = 1_000;
    /** How long a send waits for a gathered write to the database before the batch gives up. */
    private static final Duration WRITE_WAIT = Duration.ofSeconds(60);
    /** Rows one gathered write covers at most. */
    private static final int MAX_GATHERED = 500;
    /** Gathered writes of each kind in flight at once: a commit waits for the disk, the next batch need not. */
    private static final int WRITERS = 2;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NotifyProperties.Relay settings;
    private final Map<String, ChannelRoute> routes;
    private final NotificationLedger ledger;
    private final DedupWindows windows;
    private final Clock clock;
    private final AttemptSender sender;
    private final String owner = "relay-" + UUID.randomUUID();
    private final OutboxOutcomes outcomes;
    private final ExecutorService senders;
    private final Gatherer<NotificationLedger.Call, Long> callsBegun;
    private final Gatherer<Outcome, Boolean> outcomesRecorded;

    /** The rows of one batch that were postponed, for one log line per batch. */
    private static final class Postponed {
        private final AtomicInteger count = new AtomicInteger();
        private volatile String lastReason;

        void add(String reason) {
            count.incrementAndGet();
            lastReason = reason;
        }
    }

    /** Sends one attempt: the route {@code notify-send}. */
    @FunctionalInterface
    public interface AttemptSender {

        /** The attempt's outcome; null when the row's lease ran out before a call. */
        Outcome send(SendAttempt attempt) throws InterruptedException;
    }

    /**
     * @param routes per channel, its providers
     * @param sender the route {@code notify-send}, which makes each attempt
     */
    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, NotifyProperties.Relay settings,
                       Map<String, ChannelRoute> routes, NotificationLedger ledger, DedupWindows windows, Clock clock,
                       AttemptSender sender) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.routes = Map.copyOf(routes);
        this.ledger = ledger;
        this.windows = windows;
        this.clock = clock;
        this.sender = sender;
        this.outcomes = new OutboxOutcomes(jdbc, transactions, ledger, windows, owner);
        this.senders = settings.concurrency() <= 1 ? null : Executors.newFixedThreadPool(settings.concurrency(), task -> {
            Thread thread = new Thread(task, "ccbridge-outbox-sender");
            thread.setDaemon(true);
            return thread;
        });
        this.callsBegun = new Gatherer<>("notify-calls", MAX_GATHERED, WRITERS, this::beginCalls);
        this.outcomesRecorded = new Gatherer<>("notify-outcomes", MAX_GATHERED, WRITERS, batch -> {
            record(batch);
            return Collections.nCopies(batch.size(), Boolean.TRUE);
        });
    }

    /** A row leased to this relay, read with its notification and its ledger. */
    record Claimed(NotificationMessage message, int attempts, NotificationLedger.History history,
                   DedupWindows.Decision decision) {
    }

    /**
     * Claims one batch and sends it, {@code concurrency} rows at a time; returns how many rows it
     * claimed. A failure other than the provider's (the database went away) ends the batch; the
     * rows not finished come back when their lease runs out.
     */
    public int relayOnce() throws InterruptedException {
        Postponed postponed = new Postponed();
        List<Claimed> claimed = claim();
        try {
            List<Claimed> wave = claimed;
            while (!wave.isEmpty()) {
                List<Outcome> decided = new ArrayList<>();
                List<Claimed> toSend = new ArrayList<>();
                List<Claimed> behind = new ArrayList<>();
                for (Claimed row : wave) {
                    if (row.decision() != null && row.decision().verdict() == DedupWindows.Verdict.BEHIND) {
                        behind.add(row);
                    } else {
                        decidedWithoutSending(row).ifPresentOrElse(decided::add, () -> toSend.add(row));
                    }
                }
                if (!decided.isEmpty()) {
                    record(decided);
                }
                sendAll(toSend, postponed);
                wave = decideAgain(behind);
            }
        } finally {
            if (postponed.count.get() > 0) {
                // one line per batch: an outage would otherwise log a line per row per try
                LOG.info("{} of {} notifications not sent and postponed, e.g. {}", postponed.count.get(), claimed.size(),
                        postponed.lastReason);
            }
        }
        return claimed.size();
    }

    /** What becomes of a row without a provider call, if that is decided already. */
    private Optional<Outcome> decidedWithoutSending(Claimed row) {
        NotificationMessage message = row.message();
        if (row.history().accepted()) {
            // a relay whose lease ran out had it accepted; do not send it again
            return Optional.of(Outcome.sent(message, List.of()));
        }
        if (!routes.containsKey(message.channel())) {
            return Optional.of(Outcome.failed(message, List.of(), "no provider configured for channel "
                    + message.channel()));
        }
        return switch (row.decision().verdict()) {
            case SUPPRESS -> Optional.of(Outcome.suppressed(message, row.decision().suppressedBy()));
            case WAIT -> Optional.of(Outcome.postponed(message, List.of(), row.attempts(),
                    clock.millis() + WAIT_FOR_PAIR_MILLIS, null));
            case SEND -> Optional.empty();
            case BEHIND -> throw new IllegalStateException("decided again after its batch");
        };
    }

    /**
     * The rows that waited for a notification of their pair in the same batch, decided again now
     * that it has been sent: most are suppressed by it.
     */
    private List<Claimed> decideAgain(List<Claimed> behind) {
        if (behind.isEmpty()) {
            return behind;
        }
        long now = clock.millis();
        List<DedupWindows.Decision> decisions = windows.reserveAll(behind.stream().map(Claimed::message).toList(), now,
                now + settings.lease().toMillis());
        List<Claimed> again = new ArrayList<>(behind.size());
        for (int i = 0; i < behind.size(); i++) {
            Claimed row = behind.get(i);
            again.add(new Claimed(row.message(), row.attempts(), row.history(), decisions.get(i)));
        }
        return again;
    }

    private void sendAll(List<Claimed> rows, Postponed postponed) throws InterruptedException {
        if (senders == null) {
            for (Claimed row : rows) {
                send(row, postponed);
            }
            return;
        }
        List<Future<?>> sends = new ArrayList<>(rows.size());
        for (Claimed row : rows) {
            sends.add(senders.submit(() -> {
                send(row, postponed);
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
        callsBegun.close();
        outcomesRecorded.close();
    }

    /**
     * Leases up to a batch of due rows to this relay, in one transaction that also reads them, their
     * ledger, and takes their dedup reservations.
     */
    List<Claimed> claim() {
        return transactions.execute(status -> {
            long now = clock.millis();
            long leaseUntil = now + settings.lease().toMillis();
            List<String> ids = jdbc.queryForList("SELECT notification_id FROM ccbridge_outbox WHERE status = 'PENDING' "
                    + "AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) "
                    + "ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED", String.class, now, now,
                    settings.batchSize());
            if (ids.isEmpty()) {
                return List.of();
            }
            List<Object> leased = new ArrayList<>(List.of(owner, leaseUntil));
            leased.addAll(ids);
            jdbc.update("UPDATE ccbridge_outbox SET lease_owner = ?, lease_until = ? WHERE notification_id IN ("
                    + NotificationLedger.placeholders(ids.size()) + ")", leased.toArray());
            List<Pending> pending = load(ids);
            Map<String, NotificationLedger.History> histories = ledger.histories(ids);
            List<Pending> toReserve = pending.stream().filter(row -> !histories.get(row.message().id()).accepted()
                    && routes.containsKey(row.message().channel())).toList();
            List<DedupWindows.Decision> decisions = windows.reserveAll(toReserve.stream().map(Pending::message).toList(),
                    now, leaseUntil);
            Map<String, DedupWindows.Decision> decided = new HashMap<>();
            for (int i = 0; i < toReserve.size(); i++) {
                decided.put(toReserve.get(i).message().id(), decisions.get(i));
            }
            return pending.stream().map(row -> new Claimed(row.message(), row.attempts(),
                    histories.get(row.message().id()), decided.get(row.message().id()))).toList();
        });
    }

    private record Pending(NotificationMessage message, int attempts) {
    }

    private List<Pending> load(List<String> ids) {
        return jdbc.query("SELECT o.notification_id, n.channel, n.recipient, n.template, n.body, n.customer_id, "
                + "n.message_type, n.business_reference, o.attempts, n.client, n.trace_parent FROM ccbridge_outbox o "
                + "JOIN ccbridge_notifications n ON n.id = o.notification_id WHERE o.notification_id IN ("
                + NotificationLedger.placeholders(ids.size()) + ") ORDER BY o.next_attempt_at",
                (rs, i) -> new Pending(new NotificationMessage(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getString(10), rs.getString(11)), rs.getInt(9)), ids.toArray());
    }

    /**
     * Renews the calls' rows' leases and records the calls IN_FLIGHT, in one transaction; a row
     * whose lease ran out (another relay may have it now) gets no entry (-1) and is not sent.
     */
    private List<Long> beginCalls(List<NotificationLedger.Call> calls) {
        return transactions.execute(status -> {
            long now = clock.millis();
            int[] renewed = jdbc.batchUpdate("UPDATE ccbridge_outbox SET lease_until = ? WHERE notification_id = ? "
                    + "AND lease_owner = ? AND status = 'PENDING' AND lease_until > ?", calls.stream().map(call ->
                    new Object[] {now + settings.lease().toMillis(), call.message().id(), owner, now}).toList());
            List<NotificationLedger.Call> ours = new ArrayList<>();
            for (int i = 0; i < calls.size(); i++) {
                if (renewed[i] != 0) {
                    ours.add(calls.get(i));
                }
            }
            Iterator<Long> entries = ours.isEmpty() ? Collections.emptyIterator() : ledger.beginAll(ours, now).iterator();
            List<Long> begun = new ArrayList<>(calls.size());
            for (int i = 0; i < calls.size(); i++) {
                begun.add(renewed[i] != 0 ? entries.next() : -1L);
            }
            return begun;
        });
    }

    private void send(Claimed row, Postponed postponed) throws InterruptedException {
        SendAttempt attempt = new SendAttempt(row.message(), row.attempts(), routes.get(row.message().channel()),
                row.history().providersThatMayHaveIt(), new AttemptRecords(postponed));
        Outcome outcome = sender.send(attempt);
        if (outcome != null) {
            outcomesRecorded.call(outcome, WRITE_WAIT);
        }
    }

    /** What the relay writes for an attempt the route {@code notify-send} makes. */
    private final class AttemptRecords implements SendAttempt.Relay {

        private final Postponed postponed;

        AttemptRecords(Postponed postponed) {
            this.postponed = postponed;
        }

        /** Records the call IN_FLIGHT, with the calls other rows begin at the same moment. */
        @Override
        public long begin(NotificationMessage message, HttpNotificationProvider provider) {
            try {
                return callsBegun.call(new NotificationLedger.Call(message, provider.name()), WRITE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted before the call was recorded", e);
            }
        }

        @Override
        public void finish(List<NotificationLedger.Finish> calls) {
            ledger.finishAll(calls);
        }

        /**
         * No provider took it: postponed without using an attempt when none could be asked (open
         * circuits, no permit, no token: an outage longer than the backoff would otherwise fail
         * every pending notification); FAILED when refused for good or out of attempts; postponed
         * with backoff otherwise.
         */
        @Override
        public Outcome notTaken(SendAttempt attempt) {
            NotificationMessage message = attempt.message();
            List<NotificationLedger.Finish> calls = attempt.unfinishedCalls();
            if (!attempt.called()) {
                return postponed(postponed, message, calls, attempt.previousAttempts(),
                        jittered(attempt.untilCallable()), attempt.errors());
            }
            int attempts = attempt.previousAttempts() + 1;
            if (!attempt.retryable() || attempts >= settings.attempts()) {
                return Outcome.failed(message, calls, attempt.errors() + " (attempt " + attempts + ")");
            }
            return postponed(postponed, message, calls, attempts, backoffMillis(attempts), attempt.errors());
        }
    }

    private Outcome postponed(Postponed postponed, NotificationMessage message, List<NotificationLedger.Finish> calls,
                              int attempts, long pause, String error) {
        postponed.add(error);
        LOG.debug("Notification {} not sent ({}); next try in {} ms", message.id(), error, pause);
        return Outcome.postponed(message, calls, attempts, clock.millis() + pause, error);
    }

    /**
     * Records what became of rows, in one transaction. A process that dies before this commits
     * leaves the rows PENDING and their calls IN_FLIGHT: the next relay sends them again, to the
     * provider that may have them first, with the same key, and the provider answers it as the
     * request it has seen.
     */
    void record(List<Outcome> batch) {
        outcomes.write(batch);
    }

    /** {@code pause} plus up to 20 %, so that rows postponed together do not come back together. */
    private static long jittered(Duration pause) {
        long millis = Math.max(pause.toMillis(), 100);
        return millis + ThreadLocalRandom.current().nextLong(millis / 5 + 1);
    }

    long backoffMillis(int attempts) {
        return new JitteredBackoff(settings.initialBackoff(), settings.maxBackoff()).millis(attempts);
    }
}
