package org.ccbridge.sync.pipeline;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;

/**
 * The aggregation of the contact-center lane's splits, one event per exchange. In the first split
 * ({@link #gathering()}) a change that comes out of the prepare stages joins the batch; in the
 * second ({@link #oneByOne()}) nothing is gathered. In both, an event whose exchange ended in an
 * exception the route did not handle (an open circuit, a store that kept failing) goes back to its
 * queue, and the exception stays with that event: the other events of the batch go on.
 */
public final class SyncBatchCollector implements AggregationStrategy {

    private final boolean gathering;

    private SyncBatchCollector(boolean gathering) {
        this.gathering = gathering;
    }

    /** For the split that prepares each event: prepared changes join the batch stages. */
    public static SyncBatchCollector gathering() {
        return new SyncBatchCollector(true);
    }

    /** For the split that runs the events the batch stages could not finish, one by one. */
    public static SyncBatchCollector oneByOne() {
        return new SyncBatchCollector(false);
    }

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        throw new UnsupportedOperationException("the split passes the lane's exchange: see aggregate(old, new, input)");
    }

    /**
     * Records the event's end in the batch and returns the lane's own exchange. The split copies
     * what this returns onto the lane's exchange: a returned event exchange would carry its
     * error handler's marks (an event dead-lettered by sync-errors is "handled"), and Camel stops
     * a route whose exchange carries them, so the lane would end before it acks and requeues.
     */
    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange, Exchange inputExchange) {
        SyncBatch batch = newExchange.getProperty(SyncBatch.PROPERTY, SyncBatch.class);
        int position = newExchange.getProperty(ExchangePropertyKey.SPLIT_INDEX, Integer.class);
        int index = gathering ? position : batch.oneByOneIndex(position);
        String status = newExchange.getMessage().getHeader(OutcomeStage.STATUS_HEADER, String.class);
        if (status != null) {
            batch.status(index, status);
        }
        if (newExchange.getException() != null) {
            batch.requeue(index, newExchange.getException());
            newExchange.setException(null);
        } else if (gathering && newExchange.getMessage().getBody() instanceof SyncWork work && work.isMapped()
                && !newExchange.isRouteStop()) {
            batch.add(index, work);
        }
        return inputExchange;
    }
}
