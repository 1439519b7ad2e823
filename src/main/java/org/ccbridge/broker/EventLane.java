package org.ccbridge.broker;

import org.apache.camel.Exchange;
import org.ccbridge.ingress.EventEnvelope;
import org.ccbridge.ingress.IngressExchange;
import org.ccbridge.ingress.WebhookSource;

/**
 * The lane of an accepted event: its channel's queue when its source counts its type as
 * state-critical, the non-critical queue otherwise.
 *
 * @param critical whether the event is state-critical
 * @param exchange where it is published
 * @param queue    where it lands
 */
record EventLane(boolean critical, String exchange, String queue) {

    static EventLane of(Exchange exchange) {
        EventEnvelope envelope = IngressExchange.envelope(exchange);
        WebhookSource source = exchange.getProperty(IngressExchange.SOURCE, WebhookSource.class);
        boolean critical = source == null || source.critical(envelope.type());
        return new EventLane(critical, BrokerTopology.exchangeFor(critical),
                BrokerTopology.queueFor(envelope.channel().routingWord(), critical));
    }
}
