package org.ccbridge.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes what became of sent outbox rows, for many rows in one transaction: what came of each
 * provider call (the ledger), the row's state, the notification's status and the end of its dedup
 * reservation. A row and its calls are recorded together or not at all: a process that dies
 * before the commit leaves the row PENDING and its calls IN_FLIGHT, and the next relay sends it
 * again, to the provider that may have it first, with the same key.
 */
class OutboxOutcomes {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxOutcomes.class);

    enum Kind {
        /** A provider accepted it (now, or in an earlier attempt the ledger shows). */
        SENT,
        /** Another notification of its pair reached the customer inside the dedup window. */
        SUPPRESSED,
        /** Refused for good, or out of attempts: visible, never dropped. */
        FAILED,
        /** Tried again at {@code nextAttemptAt}. */
        POSTPONED
    }

    /**
     * @param calls         what came of this attempt's provider calls
     * @param attempts      the row's attempts after this one (POSTPONED)
     * @param nextAttemptAt when to try again (POSTPONED)
     * @param detail        the error (FAILED, POSTPONED; null keeps the last one), or the id of the
     *                      notification that was sent (SUPPRESSED)
     */
    record Outcome(NotificationMessage message, Kind kind, List<NotificationLedger.Finish> calls, int attempts,
                   long nextAttemptAt, String detail) {

        static Outcome sent(NotificationMessage message, List<NotificationLedger.Finish> calls) {
            return new Outcome(message, Kind.SENT, calls, 0, 0, null);
        }

        static Outcome suppressed(NotificationMessage message, String sentId) {
            return new Outcome(message, Kind.SUPPRESSED, List.of(), 0, 0, sentId);
        }

        static Outcome failed(NotificationMessage message, List<NotificationLedger.Finish> calls, String error) {
            return new Outcome(message, Kind.FAILED, calls, 0, 0, truncate(error));
        }

        static Outcome postponed(NotificationMessage message, List<NotificationLedger.Finish> calls, int attempts,
                                 long nextAttemptAt, String error) {
            return new Outcome(message, Kind.POSTPONED, calls, attempts, nextAttemptAt, truncate(error));
        }
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final NotificationLedger ledger;
    private final DedupWindows windows;
    private final String owner;

    /** @param owner the relay whose lease the rows are under */
    OutboxOutcomes(JdbcTemplate jdbc, TransactionTemplate transactions, NotificationLedger ledger, DedupWindows windows,
                   String owner) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.ledger = ledger;
        this.windows = windows;
        this.owner = owner;
    }

    /** Records the outcomes in one transaction, and logs the rows that ended SUPPRESSED or FAILED. */
    void write(List<Outcome> outcomes) {
        transactions.executeWithoutResult(status -> {
            ledger.finishAll(outcomes.stream().flatMap(outcome -> outcome.calls().stream()).toList());
            // a provider accepted it: SENT even if the lease ran out meanwhile and another relay has
            // the row, which sends it with the same key to a provider that answers it as a repeat
            List<Outcome> sent = of(outcomes, Kind.SENT);
            jdbc.batchUpdate("UPDATE ccbridge_outbox SET status = 'SENT', lease_owner = NULL, lease_until = NULL, "
                    + "attempts = attempts + 1, last_error = NULL WHERE notification_id = ?",
                    sent.stream().map(outcome -> new Object[] {outcome.message().id()}).toList());
            setStatus(sent, "SENT");
            // the others only while the row is still this relay's
            setStatus(updatedWhileLeased(of(outcomes, Kind.SUPPRESSED), "status = 'SUPPRESSED'", outcome -> List.of()),
                    "SUPPRESSED");
            setStatus(updatedWhileLeased(of(outcomes, Kind.FAILED), "status = 'FAILED', attempts = attempts + 1, "
                    + "last_error = ?", outcome -> List.of(outcome.detail())), "FAILED");
            updatedWhileLeased(of(outcomes, Kind.POSTPONED), "attempts = ?, next_attempt_at = ?, "
                    + "last_error = COALESCE(?, last_error)", outcome -> {
                        List<Object> values = new ArrayList<>();
                        values.add(outcome.attempts());
                        values.add(outcome.nextAttemptAt());
                        values.add(outcome.detail());
                        return values;
                    });
            windows.releaseAll(outcomes.stream().map(Outcome::message).toList());
        });
        for (Outcome outcome : outcomes) {
            if (outcome.kind() == Kind.SUPPRESSED) {
                LOG.info("Notification {} SUPPRESSED: {} was sent inside its dedup window", outcome.message().id(),
                        outcome.detail());
            } else if (outcome.kind() == Kind.FAILED) {
                LOG.warn("Notification {} FAILED: {}", outcome.message().id(), outcome.detail());
            }
        }
    }

    private static List<Outcome> of(List<Outcome> outcomes, Kind kind) {
        return outcomes.stream().filter(outcome -> outcome.kind() == kind).toList();
    }

    /** Sets the rows' {@code assignments} where the row is still PENDING under this relay's lease; returns those it set. */
    private List<Outcome> updatedWhileLeased(List<Outcome> outcomes, String assignments,
                                             Function<Outcome, List<Object>> values) {
        if (outcomes.isEmpty()) {
            return outcomes;
        }
        int[] updated = jdbc.batchUpdate("UPDATE ccbridge_outbox SET " + assignments + ", lease_owner = NULL, "
                + "lease_until = NULL WHERE notification_id = ? AND status = 'PENDING' AND lease_owner = ?",
                outcomes.stream().map(outcome -> {
                    List<Object> row = new ArrayList<>(values.apply(outcome));
                    row.add(outcome.message().id());
                    row.add(owner);
                    return row.toArray();
                }).toList());
        List<Outcome> set = new ArrayList<>();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] != 0) { // JDBC drivers may answer SUCCESS_NO_INFO (-2) for a row they updated
                set.add(outcomes.get(i));
            }
        }
        return set;
    }

    private void setStatus(List<Outcome> outcomes, String status) {
        jdbc.batchUpdate("UPDATE ccbridge_notifications SET status = ?, suppressed_by = COALESCE(?, suppressed_by) "
                + "WHERE id = ?", outcomes.stream().map(outcome -> new Object[] {status,
                outcome.kind() == Kind.SUPPRESSED ? outcome.detail() : null, outcome.message().id()}).toList());
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
