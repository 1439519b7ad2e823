package org.ccbridge.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ccbridge.notify.OutboxOutcomes.Outcome;

/**
 * One attempt to send a row the relay claimed: the channel's providers in the order to try them,
 * and what came of each call. The route {@code notify-send} loops over the providers; this object
 * carries the rules of that loop: a provider that may have the message from an earlier attempt
 * first, no other provider after one that may have delivered unless the channel says so
 * ({@code fallback-on-uncertain}), and the outcome of the whole attempt.
 */
public final class SendAttempt {

    /** What the relay does for an attempt: the ledger writes around each call, and the attempt's outcome. */
    interface Relay {

        /** Records the call IN_FLIGHT; -1 when the row's lease ran out (another relay may have it). */
        long begin(NotificationMessage message, HttpNotificationProvider provider);

        /** Records what came of calls that did not deliver, before the next provider is asked. */
        void finish(List<NotificationLedger.Finish> calls);

        /** The outcome of an attempt no provider accepted. */
        Outcome notTaken(SendAttempt attempt);
    }

    private final NotificationMessage message;
    private final int previousAttempts;
    private final List<HttpNotificationProvider> providers;
    private final boolean fallbackOnUncertain;
    private final Relay relay;

    private int next;
    private HttpNotificationProvider current;
    private long entry = -1;
    private final List<NotificationLedger.Finish> unfinished = new ArrayList<>();
    private boolean called;
    private boolean retryable;
    private Duration untilCallable;
    private final StringBuilder errors = new StringBuilder();
    private boolean stopped;
    private boolean leaseLost;
    private Outcome outcome;

    SendAttempt(NotificationMessage message, int previousAttempts, ChannelRoute route, List<String> mayHaveIt,
                Relay relay) {
        this.message = message;
        this.previousAttempts = previousAttempts;
        this.providers = route.orderFor(mayHaveIt);
        this.fallbackOnUncertain = route.fallbackOnUncertain();
        this.relay = relay;
    }

    public NotificationMessage message() {
        return message;
    }

    /** Whether the route asks another provider: none accepted yet, and none is left out by the rules. */
    public boolean hasNextProvider() {
        return !stopped && !leaseLost && outcome == null && next < providers.size();
    }

    /** Moves on to the next provider, once what came of the previous one's call is on record. */
    public String nextProvider() {
        relay.finish(unfinished);
        unfinished.clear();
        entry = -1;
        current = providers.get(next++);
        return current.name();
    }

    public HttpNotificationProvider provider() {
        return current;
    }

    /** Records the call IN_FLIGHT just before it leaves; a row whose lease ran out is not sent at all. */
    public void beginCall() {
        long begun = relay.begin(message, current);
        if (begun < 0) {
            leaseLost = true;
            throw new LeaseLostException();
        }
        entry = begun;
    }

    public void accepted() {
        outcome = Outcome.sent(message, List.of(new NotificationLedger.Finish(entry, DeliveryOutcome.ACCEPTED, null)));
    }

    /** The current provider did not take it; whether the next one is asked depends on what may have come of the call. */
    public void failed(ProviderException failure) {
        if (failure.outcome() == DeliveryOutcome.NOT_CALLED) {
            untilCallable = untilCallable == null || failure.retryAfter().compareTo(untilCallable) < 0
                    ? failure.retryAfter() : untilCallable;
        } else {
            called = true;
        }
        if (entry >= 0) { // begun and then not called: no slot or token came, the request never left
            unfinished.add(new NotificationLedger.Finish(entry, failure.outcome(), failure.getMessage()));
        }
        retryable |= failure.retryable();
        errors.append(errors.isEmpty() ? "" : "; ").append(failure.getMessage());
        if (failure.outcome() == DeliveryOutcome.UNCERTAIN && !fallbackOnUncertain) {
            stopped = true; // another provider would deliver it a second time
        }
    }

    /** What became of the row; null when its lease ran out before a call. */
    public Outcome outcome() {
        if (outcome != null) {
            return outcome;
        }
        if (leaseLost) {
            return null; // the relay that has the row now decides
        }
        return relay.notTaken(this);
    }

    /** The calls of this attempt that did not deliver and are not on record yet. */
    List<NotificationLedger.Finish> unfinishedCalls() {
        return List.copyOf(unfinished);
    }

    int previousAttempts() {
        return previousAttempts;
    }

    /** Whether any provider was called (an attempt used up), rather than none could be asked. */
    boolean called() {
        return called;
    }

    boolean retryable() {
        return retryable;
    }

    /** When a provider that could not be asked may be asked again; null when every one was called. */
    Duration untilCallable() {
        return untilCallable;
    }

    String errors() {
        return errors.toString();
    }

    /** The row's lease ran out before its call went out: another relay may be sending it. */
    static final class LeaseLostException extends RuntimeException {

        LeaseLostException() {
            super("the row's lease ran out before its call", null, false, false);
        }
    }
}
