package org.ccbridge.sync.pipeline;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.ccbridge.broker.AmqpBatchConsumer;

/**
 * Stages {@code record-sync-contact-center-open} ({@link #open()}) and
 * {@code record-sync-contact-center-close} ({@link #close()}) of the batched lane: the batch is
 * made from the consumer's list of events, and at the end it tells the consumer which events go
 * back to their queue; every other event of the batch is acked.
 */
public final class SyncBatchEnds {

    private SyncBatchEnds() {
    }

    public static Processor open() {
        return exchange -> {
            @SuppressWarnings("unchecked")
            List<Message> events = exchange.getMessage().getBody(List.class);
            // each event as received: the split's exchanges change their messages as they go, and an
            // event sent down the one-change path must start from what the queue delivered
            List<Message> received = new ArrayList<>(events.size());
            events.forEach(event -> received.add(event.copy()));
            exchange.setProperty(SyncBatch.PROPERTY, new SyncBatch(received));
        };
    }

    public static Processor close() {
        return exchange -> {
            SyncBatch batch = exchange.getProperty(SyncBatch.PROPERTY, SyncBatch.class);
            exchange.setProperty(AmqpBatchConsumer.REQUEUE_PROPERTY, batch.requeued());
        };
    }

    static SyncBatch batch(Exchange exchange) {
        return exchange.getProperty(SyncBatch.PROPERTY, SyncBatch.class);
    }
}
