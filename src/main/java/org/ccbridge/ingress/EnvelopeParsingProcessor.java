package org.ccbridge.ingress;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.dedup.EventIdempotentRepository;
import org.springframework.stereotype.Component;

/**
 * Second ingress step: parses the authenticated body into an {@link EventEnvelope} and sets the
 * dedup key and payload hash the idempotent consumer claims with.
 */
@Component("envelopeParsingProcessor")
public class EnvelopeParsingProcessor implements Processor {

    @Override
    public void process(Exchange exchange) {
        WebhookSource source = exchange.getProperty(IngressExchange.SOURCE, WebhookSource.class);
        EventEnvelope envelope = source.parser().parse(source.name(), exchange.getMessage().getBody(byte[].class),
                IngressExchange.requestHeader(exchange, StandardWebhooksAuthenticator.ID_HEADER),
                source.settings().defaultChannel(), Instant.ofEpochMilli(exchange.getClock().getCreated()));
        holdForClaim(exchange, envelope);
    }

    /** Keeps the envelope on the exchange, with the dedup key and payload hash the idempotent consumer claims with. */
    static void holdForClaim(Exchange exchange, EventEnvelope envelope) {
        exchange.setProperty(IngressExchange.ENVELOPE, envelope);
        exchange.setProperty(EventIdempotentRepository.PAYLOAD_HASH_PROPERTY, envelope.payloadHash());
        exchange.getMessage().setHeader(IngressExchange.DEDUP_KEY_HEADER, envelope.dedupKey());
    }
}
