package org.ccbridge.ingress;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import org.ccbridge.dedup.Claim;
import org.ccbridge.dedup.EventIdempotentRepository;

/**
 * The steps of {@code routes/pulled-ingress.camel.yaml} that differ from a webhook's: which
 * source an event comes from (the header {@code CcbridgeSource}, naming a source of a kind other
 * than {@code webhook}), parsing it without an HTTP request, and telling the calling route what came of
 * it instead of answering a platform. Claim and publish are the webhook's own steps.
 */
@Component(PulledEventSteps.BEAN)
public class PulledEventSteps {

    public static final String BEAN = "pulledEvents";
    /** The source an event handed to {@code direct:pulled-event} comes from. */
    public static final String SOURCE_HEADER = "CcbridgeSource";
    /** What came of it: ACCEPTED, DUPLICATE or REFUSED, for the calling route. */
    public static final String STATUS_HEADER = "CcbridgeIngressStatus";

    private static final Logger SECURITY = LoggerFactory.getLogger("org.ccbridge.security");

    private final WebhookSources sources;
    private final IngressMetrics metrics;
    private final IngressFate fate;

    PulledEventSteps(WebhookSources sources, IngressMetrics metrics, IngressFate fate) {
        this.sources = sources;
        this.metrics = metrics;
        this.fate = fate;
    }

    /** Resolves the source and parses the body (JSON text or bytes) as that source's events. */
    public void parse(Exchange exchange) {
        String name = exchange.getMessage().getHeader(SOURCE_HEADER, String.class);
        WebhookSource source = sources.find(name).filter(found -> found.settings().kind() != SourceKind.WEBHOOK)
                .orElseThrow(() -> new IllegalArgumentException("no pulled source (kind route, cxone-poll or "
                        + "genesys-notifications) is configured under the name in " + SOURCE_HEADER + " (" + name + ")"));
        exchange.setProperty(IngressExchange.SOURCE, source);
        Object body = exchange.getMessage().getBody();
        byte[] bytes = body instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                : exchange.getMessage().getBody(byte[].class);
        Instant handedOver = Instant.now();
        exchange.setProperty(IngressExchange.PULLED_AT, handedOver);
        EventEnvelope envelope = source.parser().parse(source.name(), bytes == null ? new byte[0] : bytes,
                exchange.getMessage().getHeader(StandardWebhooksAuthenticator.ID_HEADER, String.class),
                source.settings().defaultChannel(), handedOver);
        EnvelopeParsingProcessor.holdForClaim(exchange, envelope);
    }

    /**
     * Records what the claim decided. An event another delivery is accepting right now fails the
     * call, so that the caller tries again (and does not move its cursor past it); an event id
     * already accepted with another payload is refused, logged and kept in its story, and the
     * caller goes on.
     */
    public void outcome(Exchange exchange) {
        EventEnvelope envelope = IngressExchange.envelope(exchange);
        Claim claim = exchange.getProperty(EventIdempotentRepository.CLAIM_PROPERTY, Claim.class);
        IngressOutcome outcome = switch (claim.state()) {
            case CLAIMED -> {
                fate.accepted(exchange, envelope);
                yield IngressOutcome.ACCEPTED;
            }
            case DONE -> {
                fate.duplicate(envelope);
                yield IngressOutcome.DUPLICATE;
            }
            case IN_FLIGHT -> throw new IngressRejectedException(409, "Delivery in progress",
                    "this event is being accepted by another delivery; retry later", IngressOutcome.IN_FLIGHT);
            case PAYLOAD_MISMATCH -> {
                SECURITY.warn("Event id reused with a different payload: source={} eventId={} payloadHash={}",
                        envelope.source(), envelope.eventId(), envelope.payloadHash());
                fate.refused(envelope, new IngressRejectedException(422, "Event id reused",
                        "an event with this id was already received with a different payload",
                        IngressOutcome.PAYLOAD_MISMATCH));
                yield IngressOutcome.PAYLOAD_MISMATCH;
            }
        };
        metrics.record(envelope.source(), outcome, IngressReplyProcessor.sinceReceived(exchange));
        exchange.getMessage().setHeader(STATUS_HEADER, outcome == IngressOutcome.PAYLOAD_MISMATCH ? "REFUSED"
                : outcome.name());
    }
}
