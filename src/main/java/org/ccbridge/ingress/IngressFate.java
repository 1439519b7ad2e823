package org.ccbridge.ingress;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Exchange;
import org.ccbridge.fate.EventFate;
import org.ccbridge.fate.FateStage;
import org.springframework.stereotype.Component;

/**
 * The ingress's part of an event's story: each delivery of a parsed event and the answer it got.
 * A delivery refused before its event id was read (a bad signature, an unreadable body) has no
 * event to belong to and is left to the logs and metrics.
 */
@Component
public class IngressFate {

    private final EventFate fate;

    public IngressFate(EventFate fate) {
        this.fate = fate;
    }

    /** Received, claimed, published to its queue and confirmed: one entry for both steps, timed at arrival. */
    void accepted(Exchange exchange, EventEnvelope envelope) {
        Map<String, Object> detail = describe(envelope);
        detail.put("queue", exchange.getProperty(IngressExchange.PUBLISHED_QUEUE, String.class));
        detail.put("publishedAt", System.currentTimeMillis());
        detail.put("reply", "200 ACCEPTED");
        fate.record(envelope.source(), envelope.eventId(), Instant.ofEpochMilli(exchange.getClock().getCreated()),
                FateStage.RECEIVED, envelope.recordKey(), detail);
    }

    void duplicate(EventEnvelope envelope) {
        Map<String, Object> detail = describe(envelope);
        detail.put("reply", "200 DUPLICATE");
        fate.record(envelope.source(), envelope.eventId(), FateStage.DUPLICATE, envelope.recordKey(), detail);
    }

    /** A delivery of the event answered with an error: it was not accepted by this delivery. */
    void refused(EventEnvelope envelope, IngressRejectedException problem) {
        Map<String, Object> detail = describe(envelope);
        detail.put("reply", problem.status() + " " + problem.title());
        detail.put("reason", problem.getMessage());
        fate.record(envelope.source(), envelope.eventId(), FateStage.REFUSED, envelope.recordKey(), detail);
    }

    private static Map<String, Object> describe(EventEnvelope envelope) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("type", envelope.type());
        detail.put("channel", envelope.channel().routingWord());
        detail.put("payloadHash", envelope.payloadHash());
        return detail;
    }
}
