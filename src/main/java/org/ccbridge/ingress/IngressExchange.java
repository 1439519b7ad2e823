package org.ccbridge.ingress;

import org.apache.camel.Exchange;

/**
 * Names of what the ingress steps leave on the exchange for the steps after them.
 */
public final class IngressExchange {

    /** The {@link WebhookSource} the delivery was addressed to. */
    public static final String SOURCE = "ccbridgeSource";
    /** The parsed {@link EventEnvelope}. */
    public static final String ENVELOPE = "ccbridgeEnvelope";
    /** Header with the dedup key the idempotent consumer claims. */
    public static final String DEDUP_KEY_HEADER = "CcbridgeDedupKey";

    private IngressExchange() {
    }

    public static EventEnvelope envelope(Exchange exchange) {
        return exchange.getProperty(ENVELOPE, EventEnvelope.class);
    }

    /** The source name for metrics and logs; never a caller-chosen string, which would be unbounded. */
    public static String sourceTag(Exchange exchange) {
        WebhookSource source = exchange.getProperty(SOURCE, WebhookSource.class);
        return source == null ? "unknown" : source.name();
    }
}
