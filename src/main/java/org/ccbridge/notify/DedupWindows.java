package org.ccbridge.notify;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.ccbridge.notify.NotificationLedger.Sent;
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
        WAIT,
        /**
         * Another notification of the same pair in this batch is being sent: decide again once it
         * has been, when the ledger knows whether it reached the customer.
         */
        BEHIND
    }

    /** @param suppressedBy the notification that was sent, when the verdict is SUPPRESS */
    public record Decision(Verdict verdict, String suppressedBy) {
    }

    private static final Decision SEND = new Decision(Verdict.SEND, null);
    private static final Decision BEHIND = new Decision(Verdict.BEHIND, null);

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
        return reserveAll(List.of(message), now, reservedUntil).get(0);
    }

    /**
     * {@link #reserve} for a batch, in one transaction: the pairs' rows are locked in key order
     * (so that two relays reserving overlapping pairs wait for each other rather than deadlock),
     * the ledger is read once for all of them, and the reservations are written in one batch. Of
     * two notifications of one pair in the batch, the second is BEHIND the first.
     *
     * @return the decisions, in the order of {@code messages}
     */
    public List<Decision> reserveAll(List<NotificationMessage> messages, long now, long reservedUntil) {
        List<Decision> decisions = new ArrayList<>(Collections.nCopies(messages.size(), SEND));
        Map<Pair, List<Integer>> windowed = new TreeMap<>();
        for (int i = 0; i < messages.size(); i++) {
            NotifyProperties.DedupWindow window = settings.windowFor(messages.get(i).messageType());
            if (!window.length().isZero() && !window.length().isNegative()) {
                windowed.computeIfAbsent(Pair.of(messages.get(i)), pair -> new ArrayList<>()).add(i);
            }
        }
        if (windowed.isEmpty()) {
            return decisions;
        }
        List<Pair> pairs = List.copyOf(windowed.keySet());
        transactions.executeWithoutResult(status -> {
            jdbc.batchUpdate("INSERT INTO ccbridge_notification_windows (client, customer_id, message_type) "
                    + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", pairs.stream().map(Pair::values).toList());
            Map<Pair, Holder> holders = lockRows(pairs);
            Map<String, String> delivered = deliveredInWindows(windowed.values().stream().flatMap(List::stream)
                    .map(messages::get).toList(), now);
            List<Object[]> reservations = new ArrayList<>();
            windowed.forEach((pair, indexes) -> {
                Holder holder = holders.get(pair);
                String reservedFor = null;
                for (int index : indexes) {
                    NotificationMessage message = messages.get(index);
                    Decision decision;
                    if (holder != null && holder.sendingId() != null && !holder.sendingId().equals(message.id())
                            && holder.sendingUntil() > now) {
                        decision = new Decision(Verdict.WAIT, null);
                    } else if (delivered.containsKey(message.id())) {
                        decision = new Decision(Verdict.SUPPRESS, delivered.get(message.id()));
                    } else if (reservedFor != null) {
                        decision = BEHIND;
                    } else {
                        decision = SEND;
                        reservedFor = message.id();
                        reservations.add(new Object[] {message.id(), reservedUntil, pair.client(), pair.customerId(),
                                pair.messageType()});
                    }
                    decisions.set(index, decision);
                }
            });
            jdbc.batchUpdate("UPDATE ccbridge_notification_windows SET sending_id = ?, sending_until = ? "
                    + "WHERE client = ? AND customer_id = ? AND message_type = ?", reservations);
        });
        return decisions;
    }

    /** (client, customer id, message type), ordered as the table's primary key. */
    private record Pair(String client, String customerId, String messageType) implements Comparable<Pair> {

        static Pair of(NotificationMessage message) {
            return new Pair(message.client(), message.customerId(), message.messageType());
        }

        Object[] values() {
            return new Object[] {client, customerId, messageType};
        }

        @Override
        public int compareTo(Pair other) {
            return Comparator.comparing(Pair::client).thenComparing(Pair::customerId).thenComparing(Pair::messageType)
                    .compare(this, other);
        }
    }

    private record Holder(String sendingId, long sendingUntil) {
    }

    private Map<Pair, Holder> lockRows(List<Pair> pairs) {
        Map<Pair, Holder> holders = new HashMap<>();
        KeyMatch keys = KeyMatch.of(ledger.postgres(), "ccbridge_notification_windows",
                List.of("client", "customer_id", "message_type"), pairs.stream().map(Pair::values).toList());
        jdbc.query("SELECT t.client, t.customer_id, t.message_type, t.sending_id, t.sending_until FROM " + keys.from()
                + " WHERE " + keys.where() + " ORDER BY t.client, t.customer_id, t.message_type" + keys.forUpdate(),
                rs -> {
                    holders.put(new Pair(rs.getString(1), rs.getString(2), rs.getString(3)),
                            new Holder(rs.getString(4), rs.getLong(5)));
                }, keys.parametersAnd());
        return holders;
    }

    /**
     * Per message, the latest other notification of its pair that may have reached the customer
     * inside the message's window: two queries for the batch, one for the windows in time and one
     * for the windows per business reference.
     */
    private Map<String, String> deliveredInWindows(List<NotificationMessage> messages, long now) {
        Map<String, String> delivered = new HashMap<>();
        Map<NotificationMessage, Long> since = new LinkedHashMap<>();
        List<NotificationMessage> perReference = new ArrayList<>();
        for (NotificationMessage message : messages) {
            NotifyProperties.DedupWindow window = settings.windowFor(message.messageType());
            long length = window.length().toMillis();
            switch (window.mode()) {
                case SLIDING -> since.put(message, now - length + 1);
                case FIXED -> since.put(message, Math.floorDiv(now, length) * length);
                case REFERENCE -> {
                    if (message.businessReference() == null) {
                        since.put(message, now - length + 1); // no run to tell: fall back to the sliding window
                    } else {
                        perReference.add(message);
                    }
                }
            }
        }
        if (!since.isEmpty()) {
            Map<Pair, List<Sent>> sent = byPair(ledger.deliveredToPairs(since.keySet().stream().map(Pair::of)
                    .map(Pair::values).toList(), Collections.min(since.values())));
            since.forEach((message, from) -> latest(sent, message, entry -> entry.recordedAt() >= from)
                    .ifPresent(id -> delivered.put(message.id(), id)));
        }
        if (!perReference.isEmpty()) {
            Map<Pair, List<Sent>> sent = byPair(ledger.deliveredForReferences(perReference.stream()
                    .map(message -> new Object[] {message.client(), message.customerId(), message.messageType(),
                            message.businessReference()}).toList()));
            perReference.forEach(message -> latest(sent, message,
                    entry -> message.businessReference().equals(entry.businessReference()))
                    .ifPresent(id -> delivered.put(message.id(), id)));
        }
        return delivered;
    }

    private static Map<Pair, List<Sent>> byPair(List<Sent> sent) {
        Map<Pair, List<Sent>> byPair = new HashMap<>();
        sent.forEach(entry -> byPair.computeIfAbsent(new Pair(entry.client(), entry.customerId(), entry.messageType()),
                pair -> new ArrayList<>()).add(entry));
        return byPair;
    }

    private static Optional<String> latest(Map<Pair, List<Sent>> sent, NotificationMessage message,
                                           Predicate<Sent> inWindow) {
        return sent.getOrDefault(Pair.of(message), List.of()).stream()
                .filter(entry -> !entry.notificationId().equals(message.id())).filter(inWindow)
                .max(Comparator.comparingLong(Sent::recordedAt)).map(Sent::notificationId);
    }

    /** Gives the pair up after sending (or failing to); the ledger now holds what was sent. */
    public void release(NotificationMessage message) {
        releaseAll(List.of(message));
    }

    /**
     * {@link #release} for several notifications in one batch, in the caller's transaction if any.
     * The rows are locked first in the database's order of the keys, the order
     * {@link #reserveAll} locks them in: a database whose collation sorts keys unlike Java (an
     * ICU or en_US collation puts {@code a} before {@code B}) would otherwise let a release and a
     * reservation of the same two pairs each hold one row and wait for the other.
     */
    void releaseAll(Collection<NotificationMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        lockRows(messages.stream().map(Pair::of).distinct().toList());
        jdbc.batchUpdate("UPDATE ccbridge_notification_windows SET sending_id = NULL, sending_until = NULL "
                + "WHERE client = ? AND customer_id = ? AND message_type = ? AND sending_id = ?", messages.stream()
                .sorted(Comparator.comparing(Pair::of)).map(message -> new Object[] {message.client(),
                        message.customerId(), message.messageType(), message.id()}).toList());
    }
}
