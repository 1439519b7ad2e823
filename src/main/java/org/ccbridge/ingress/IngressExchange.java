package org.ccbridge.ingress;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

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
    /**
     * When a pulled event was handed to {@code direct:pulled-event}: no platform waits for its
     * answer, so its publish waits up to the broker's confirm timeout from then, not the webhook's
     * acknowledgment budget from the creation of the exchange (a poll's exchange was created
     * before its fetch).
     */
    public static final String PULLED_AT = "ccbridgePulledAt";
    /** The queue the publish step delivered the event to, once the broker confirmed it. */
    public static final String PUBLISHED_QUEUE = "ccbridgePublishedQueue";

    private IngressExchange() {
    }

    /**
     * A header as the HTTP request carried it. Camel's platform-http binding also copies query
     * parameters into the message headers, so reading a signature, secret or event id from those
     * would accept it from the query string, which ends up in access logs and proxies' logs.
     */
    static String requestHeader(Exchange exchange, String name) {
        if (exchange.getMessage() instanceof PlatformHttpMessage http) {
            return http.getRequest().getHeader(name);
        }
        throw new IllegalStateException("webhook steps run on platform-http exchanges only");
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
