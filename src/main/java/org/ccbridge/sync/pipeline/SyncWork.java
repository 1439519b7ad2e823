package org.ccbridge.sync.pipeline;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.sync.ChangeReader;
import org.ccbridge.sync.InvalidChangeException;
import org.ccbridge.sync.RecordChange;
import org.ccbridge.sync.SyncOutcome;
import org.ccbridge.sync.SyncPlan;
import org.ccbridge.sync.SyncSystem;

/**
 * The message body between the record-sync stages: the accepted event, and what each stage has
 * found out about it so far. What the route branches on is also set as exchange properties
 * ({@code ${exchangeProperty.syncMapped}}, {@code syncRoute}, {@code syncWriteCrm},
 * {@code syncWriteContactCenter}): a property lookup, where an OGNL call on the body would cost
 * a reflective call per change.
 */
public final class SyncWork {

    /** Whether the event touches a mapped field: true or false. */
    public static final String MAPPED = "syncMapped";
    /** SKIP, REVIEW or WRITE once decided. */
    public static final String ROUTE = "syncRoute";
    /** Whether the decision writes to the CRM: true or false. */
    public static final String WRITE_CRM = "syncWriteCrm";
    /** Whether the decision writes to the contact center: true or false. */
    public static final String WRITE_CONTACT_CENTER = "syncWriteContactCenter";

    private final String source;
    private final String eventId;
    private final Instant occurredAt;
    private final byte[] event;
    private final String traceParent;
    private ChangeReader.ReceivedChange received;
    private RecordChange change;
    private InvalidChangeException invalid;
    private FencedLocks.Hold lock;
    private SyncPlan plan;
    private SyncOutcome outcome;

    SyncWork(String source, String eventId, Instant occurredAt, byte[] event, String traceParent) {
        this.source = source;
        this.eventId = eventId;
        this.occurredAt = occurredAt;
        this.event = event;
        this.traceParent = traceParent;
    }

    /** The same event, nothing found out yet: a redelivered pipeline starts over. */
    SyncWork restart() {
        return new SyncWork(source, eventId, occurredAt, event, traceParent);
    }

    /** Forgets the lock, plan and outcome of an attempt that failed: the batch decides again. */
    void restartDecision() {
        this.lock = null;
        this.plan = null;
        this.outcome = null;
    }

    public String source() {
        return source;
    }

    public String eventId() {
        return eventId;
    }

    /** The W3C traceparent the event was published with, or null: its trace, where no span of it is current (a batch). */
    String traceParent() {
        return traceParent;
    }

    Instant occurredAt() {
        return occurredAt;
    }

    byte[] event() {
        return event;
    }

    /** Whether the event touches a mapped field of a mapped object. */
    public boolean isMapped() {
        return received != null;
    }

    /** Sets the properties the route branches on after the decision. */
    void describeDecisionOn(Exchange exchange) {
        exchange.setProperty(ROUTE, plan.route().name());
        exchange.setProperty(WRITE_CRM, plan.writesTo(SyncSystem.CRM));
        exchange.setProperty(WRITE_CONTACT_CENTER, plan.writesTo(SyncSystem.CONTACT_CENTER));
    }

    /** The status the change ended in, for the header and the counters; NOT_MAPPED when it touched nothing. */
    public String getStatus() {
        if (outcome != null) {
            return outcome.status().name();
        }
        return isMapped() ? null : "NOT_MAPPED";
    }

    ChangeReader.ReceivedChange received() {
        return received;
    }

    void received(ChangeReader.ReceivedChange value) {
        this.received = value;
    }

    /** The normalized change; the change as received when a value was invalid. */
    public RecordChange change() {
        return change;
    }

    void change(RecordChange value) {
        this.change = value;
    }

    InvalidChangeException invalid() {
        return invalid;
    }

    void invalid(InvalidChangeException value) {
        this.invalid = value;
        this.change = value.change();
    }

    FencedLocks.Hold lock() {
        return lock;
    }

    void lock(FencedLocks.Hold value) {
        this.lock = value;
    }

    public SyncPlan plan() {
        return plan;
    }

    void plan(SyncPlan value) {
        this.plan = value;
    }

    public SyncOutcome outcome() {
        return outcome;
    }

    void outcome(SyncOutcome value) {
        this.outcome = value;
    }
}
