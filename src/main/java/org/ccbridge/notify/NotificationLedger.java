package org.ccbridge.notify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * What was sent to whom, when, through which provider, and what came of it: one row per provider
 * call. The relay reads it before sending, to skip a notification another relay already had
 * accepted and to find the notification that puts a new one inside its dedup window.
 */
public class NotificationLedger {

    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;

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
        return beginAll(List.of(new Call(message, provider)), now).get(0);
    }

    /** A provider call about to go out. */
    record Call(NotificationMessage message, String provider) {
    }

    /**
     * {@link #begin} for several calls in one batch of inserts, committed together.
     *
     * @return the entries, in the order of {@code calls}
     */
    List<Long> beginAll(List<Call> calls, long now) {
        return jdbc.execute((Connection connection) -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
                for (Call call : calls) {
                    NotificationMessage message = call.message();
                    Object[] values = {message.id(), call.provider(), DeliveryOutcome.IN_FLIGHT.name(), null,
                            message.channel(), message.recipient(), message.customerId(), message.messageType(),
                            message.businessReference(), now, message.client()};
                    for (int i = 0; i < values.length; i++) {
                        insert.setObject(i + 1, values[i]);
                    }
                    insert.addBatch();
                }
                insert.executeBatch();
                List<Long> entries = new ArrayList<>(calls.size());
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    while (keys.next()) {
                        entries.add(keys.getLong(1));
                    }
                }
                if (entries.size() != calls.size()) {
                    throw new SQLException(entries.size() + " ledger keys for " + calls.size() + " calls");
                }
                return entries;
            }
        });
    }

    /** What came of the call {@code entry} began. */
    public void finish(long entry, DeliveryOutcome outcome, String detail) {
        finishAll(List.of(new Finish(entry, outcome, detail)));
    }

    /** What came of the call {@code entry} began, to be recorded with others. */
    record Finish(long entry, DeliveryOutcome outcome, String detail) {
    }

    /** {@link #finish} for several calls in one batch, in the caller's transaction if it has one. */
    void finishAll(Collection<Finish> finishes) {
        if (finishes.isEmpty()) {
            return;
        }
        jdbc.batchUpdate("UPDATE ccbridge_notification_ledger SET outcome = ?, detail = ? WHERE id = ?",
                finishes.stream().map(finish -> new Object[] {finish.outcome().name(), finish.detail() == null
                        || finish.detail().length() <= 500 ? finish.detail() : finish.detail().substring(0, 500),
                        finish.entry()}).toList());
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
        return histories(List.of(notificationId)).get(notificationId);
    }

    /** {@link #history} of several notifications, read in one query. */
    Map<String, History> histories(List<String> notificationIds) {
        Map<String, List<Entry>> entries = new HashMap<>();
        notificationIds.forEach(id -> entries.put(id, new ArrayList<>()));
        if (!notificationIds.isEmpty()) {
            jdbc.query("SELECT notification_id, provider, outcome, detail, recorded_at FROM ccbridge_notification_ledger "
                    + "WHERE notification_id IN (" + placeholders(notificationIds.size()) + ") ORDER BY id", rs -> {
                entries.get(rs.getString(1)).add(new Entry(rs.getString(2), DeliveryOutcome.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getLong(5)));
            }, notificationIds.toArray());
        }
        Map<String, History> histories = new HashMap<>();
        entries.forEach((id, calls) -> histories.put(id, historyOf(calls)));
        return histories;
    }

    private static History historyOf(List<Entry> calls) {
        boolean accepted = false;
        List<String> mayHaveIt = new ArrayList<>();
        for (Entry entry : calls) {
            accepted |= entry.outcome() == DeliveryOutcome.ACCEPTED;
            if (entry.outcome() == DeliveryOutcome.UNCERTAIN || entry.outcome() == DeliveryOutcome.IN_FLIGHT) {
                mayHaveIt.remove(entry.provider());
                mayHaveIt.add(0, entry.provider());
            }
        }
        return new History(accepted, mayHaveIt);
    }

    /** {@code ?, ?, ...}: the parameters of an IN list of {@code count} values. */
    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    public List<Entry> entries(String notificationId) {
        return jdbc.query("SELECT provider, outcome, detail, recorded_at FROM ccbridge_notification_ledger "
                + "WHERE notification_id = ? ORDER BY id", (rs, i) -> new Entry(rs.getString(1),
                DeliveryOutcome.valueOf(rs.getString(2)), rs.getString(3), rs.getLong(4)), notificationId);
    }

    /** A call that may have reached the customer, as the dedup windows read it. */
    record Sent(String client, String customerId, String messageType, String businessReference,
                String notificationId, long recordedAt) {
    }

    private static final String SENT_COLUMNS = "SELECT t.client, t.customer_id, t.message_type, t.business_reference, "
            + "t.notification_id, t.recorded_at FROM ";
    private static final String MAY_HAVE_REACHED = " AND t.outcome IN ('ACCEPTED', 'UNCERTAIN', 'IN_FLIGHT')";

    /** The calls to these (client, customer id, message type) pairs recorded at or after {@code since}. */
    List<Sent> deliveredToPairs(List<Object[]> pairs, long since) {
        KeyMatch keys = KeyMatch.of(postgres(), TABLE, List.of("client", "customer_id", "message_type"), pairs);
        return jdbc.query(SENT_COLUMNS + keys.from() + " WHERE " + keys.where() + MAY_HAVE_REACHED
                + " AND t.recorded_at >= ?", SENT, keys.parametersAnd(since));
    }

    /** The calls to these (client, customer id, message type, business reference) quadruples, whenever made. */
    List<Sent> deliveredForReferences(List<Object[]> quadruples) {
        KeyMatch keys = KeyMatch.of(postgres(), TABLE, List.of("client", "customer_id", "message_type",
                "business_reference"), quadruples);
        return jdbc.query(SENT_COLUMNS + keys.from() + " WHERE " + keys.where() + MAY_HAVE_REACHED, SENT,
                keys.parametersAnd());
    }

    private static final String TABLE = "ccbridge_notification_ledger";

    /** Whether the ledger is in PostgreSQL, read once. */
    boolean postgres() {
        Boolean known = postgres;
        if (known == null) {
            known = KeyMatch.postgres(jdbc);
            postgres = known;
        }
        return known;
    }

    private static final RowMapper<Sent> SENT = (rs, i) -> new Sent(rs.getString(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getLong(6));
}
