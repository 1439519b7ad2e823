package org.ccbridge.notify;

import org.apache.camel.Exchange;
import org.ccbridge.tracing.EventTracing;
import org.apache.camel.ProducerTemplate;

/** Makes the relay's attempts through the route {@code notify-send} ({@code routes/notify-send.camel.yaml}). */
public class RouteAttemptSender implements OutboxRelay.AttemptSender {

    public static final String ENDPOINT = "direct:notify-send";

    private final ProducerTemplate producer;

    public RouteAttemptSender(ProducerTemplate producer) {
        this.producer = producer;
    }

    @Override
    public OutboxOutcomes.Outcome send(SendAttempt attempt) throws InterruptedException {
        Exchange done = producer.send(ENDPOINT, exchange -> {
            exchange.setProperty(NotificationSendSteps.ATTEMPT, attempt);
            // the route's eventTrace policy continues the trace the notification was asked for in
            if (attempt.message().traceParent() != null) {
                exchange.getMessage().setHeader(EventTracing.TRACEPARENT, attempt.message().traceParent());
            }
        });
        Exception failure = done.getException();
        if (failure != null) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof InterruptedException interrupted) {
                    throw interrupted;
                }
            }
            throw failure instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("route notify-send failed: " + failure.getMessage(), failure);
        }
        return done.getMessage().getBody(OutboxOutcomes.Outcome.class);
    }
}
