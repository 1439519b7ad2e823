package org.ccbridge.sync.pipeline;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

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

    /** Changes that left the batch stages for the one-change path, tagged with the reason. */
    public static final String ALONE_METER = "ccbridge.sync.batch.alone";

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

    /**
     * Names the events that go back to their queue, and counts the changes that left the batch
     * stages by reason ({@code ccbridge.sync.batch.alone}): many of them mean the batches buy
     * little, and the reason says why.
     */
    public static Processor close(MeterRegistry registry) {
        return exchange -> {
            SyncBatch batch = exchange.getProperty(SyncBatch.PROPERTY, SyncBatch.class);
            exchange.setProperty(AmqpBatchConsumer.REQUEUE_PROPERTY, batch.requeued());
            batch.aloneCounts().forEach((reason, count) ->
                    registry.counter(ALONE_METER, "reason", reason.tag()).increment(count));
        };
    }

    static SyncBatch batch(Exchange exchange) {
        return exchange.getProperty(SyncBatch.PROPERTY, SyncBatch.class);
    }
}
