package org.ccbridge.ingress;

import java.time.Duration;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.dedup.Claim;
import org.ccbridge.dedup.DedupProperties;
import org.ccbridge.dedup.EventIdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Last ingress step: answers from the claim. A new event was published and confirmed by now;
 * anything else was not published by this delivery.
 */
@Component("ingressReplyProcessor")
public class IngressReplyProcessor implements Processor {

    private static final Logger SECURITY = LoggerFactory.getLogger("org.ccbridge.security");

    private final IngressMetrics metrics;
    private final DedupProperties dedup;
    private final IngressFate fate;

    public IngressReplyProcessor(IngressMetrics metrics, DedupProperties dedup, IngressFate fate) {
        this.metrics = metrics;
        this.dedup = dedup;
        this.fate = fate;
    }

    @Override
    public void process(Exchange exchange) {
        EventEnvelope envelope = IngressExchange.envelope(exchange);
        Claim claim = exchange.getProperty(EventIdempotentRepository.CLAIM_PROPERTY, Claim.class);
        switch (claim.state()) {
            case CLAIMED -> {
                fate.accepted(exchange, envelope);
                reply(exchange, envelope, "ACCEPTED", IngressOutcome.ACCEPTED);
            }
            case DONE -> {
                fate.duplicate(envelope);
                reply(exchange, envelope, "DUPLICATE", IngressOutcome.DUPLICATE);
            }
            case IN_FLIGHT -> throw new IngressRejectedException(409, "Delivery in progress",
                    "this event is being accepted by another delivery; retry later", IngressOutcome.IN_FLIGHT,
                    dedup.retryAfter());
            case PAYLOAD_MISMATCH -> {
                SECURITY.warn("Event id reused with a different payload: source={} eventId={} payloadHash={}",
                        envelope.source(), envelope.eventId(), envelope.payloadHash());
                throw new IngressRejectedException(422, "Event id reused",
                        "an event with this id was already received with a different payload",
                        IngressOutcome.PAYLOAD_MISMATCH);
            }
        }
    }

    private void reply(Exchange exchange, EventEnvelope envelope, String status, IngressOutcome outcome) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        // a small body with Content-Length goes out in one write; chunked takes a flush per chunk
        message.setHeader(Exchange.HTTP_CHUNKED, false);
        message.setBody("{\"status\":\"" + status + "\",\"eventId\":" + JsonText.quote(envelope.eventId()) + "}");
        metrics.record(envelope.source(), outcome, sinceReceived(exchange));
    }

    static Duration sinceReceived(Exchange exchange) {
        return Duration.ofMillis(exchange.getClock().elapsed());
    }
}
