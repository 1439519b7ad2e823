package org.ccbridge.broker;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.ingress.IngressOutcome;
import org.ccbridge.ingress.IngressRejectedException;

/**
 * Step {@code webhook-ingress-backlog} of the ingress: an event bound to a queue over its hard
 * limit ({@code ccbridge.broker.backlog.queues[<queue>].hard-limit}) gets 503 with Retry-After at
 * once, before it is claimed or published. The platform retries it later; nothing is acknowledged
 * that is not queued.
 */
public class IngressBacklogGate implements Processor {

    /** The bean name the ingress route refers to. */
    public static final String BEAN = "ingressBacklogGate";

    private final BacklogMonitor monitor;
    private final Duration retryAfter;

    /** @param retryAfter how soon to ask again: the depth is read again after this */
    public IngressBacklogGate(BacklogMonitor monitor, Duration retryAfter) {
        this.monitor = monitor;
        this.retryAfter = retryAfter;
    }

    @Override
    public void process(Exchange exchange) {
        String queue = EventLane.of(exchange).queue();
        if (monitor.overHardLimit(queue)) {
            throw new IngressRejectedException(503, "Service unavailable", "the queue this event goes to is full; "
                    + "retry later", IngressOutcome.UNAVAILABLE, retryAfter);
        }
    }
}
