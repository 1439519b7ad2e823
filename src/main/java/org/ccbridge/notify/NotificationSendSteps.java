package org.ccbridge.notify;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

import org.apache.camel.Exchange;

/**
 * The steps of the routes {@code notify-send} and {@code notify-provider-<name>} (bean
 * {@value #BEAN}): each works on the exchange's {@link SendAttempt} (property {@value #ATTEMPT}),
 * which the relay puts there and which carries the rules.
 */
public class NotificationSendSteps {

    public static final String BEAN = "notifySending";
    public static final String ATTEMPT = "notifyAttempt";

    /** Whether the loop asks another provider: none accepted yet, and the rules leave one to ask. */
    public boolean hasNextProvider(Exchange exchange) {
        return attempt(exchange).hasNextProvider();
    }

    /** The next provider's name, for the route to call {@code direct:notify-provider-<name>}. */
    public String nextProvider(Exchange exchange) {
        return attempt(exchange).nextProvider();
    }

    /** A permit of the provider's rate limit, before its circuit breaker is asked. */
    public void takePermit(Exchange exchange) {
        attempt(exchange).provider().takePermit();
    }

    /** The call IN_FLIGHT in the ledger, inside the breaker: only a call the breaker lets go is recorded. */
    public void beginCall(Exchange exchange) {
        attempt(exchange).beginCall();
    }

    public void call(Exchange exchange) throws InterruptedException {
        SendAttempt attempt = attempt(exchange);
        attempt.provider().call(attempt.message());
    }

    public void accepted(Exchange exchange) {
        attempt(exchange).accepted();
    }

    /** What the provider's route threw: an open circuit is a provider not called; a lost lease ends the attempt. */
    public void failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        SendAttempt attempt = attempt(exchange);
        if (failure instanceof CallNotPermittedException) {
            attempt.failed(attempt.provider().circuitOpen());
        } else if (failure instanceof ProviderException refused) {
            attempt.failed(refused);
        }
        // SendAttempt.LeaseLostException: the attempt knows already
    }

    /** What became of the row (SENT, FAILED, POSTPONED), or null when its lease ran out. */
    public OutboxOutcomes.Outcome outcome(Exchange exchange) {
        return attempt(exchange).outcome();
    }

    private static SendAttempt attempt(Exchange exchange) {
        return exchange.getProperty(ATTEMPT, SendAttempt.class);
    }
}
