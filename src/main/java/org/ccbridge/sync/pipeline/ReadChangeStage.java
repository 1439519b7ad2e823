package org.ccbridge.sync.pipeline;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.ccbridge.broker.EventPublishProcessor;
import org.ccbridge.sync.ChangeReader;
import org.ccbridge.tracing.EventTracing;

/**
 * Stage {@code record-sync-prepare-read}: the accepted event becomes a {@link SyncWork} with the change it
 * carries, values as received. An event that cannot be synced at all fails with
 * {@link org.ccbridge.sync.UnsyncableEventException} and is dead-lettered.
 */
public class ReadChangeStage implements Processor {

    private final ChangeReader reader;

    public ReadChangeStage(ChangeReader reader) {
        this.reader = reader;
    }

    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        SyncWork work = message.getBody() instanceof SyncWork earlier ? earlier.restart() : fromEvent(message);
        work.received(reader.receive(work.source(), work.eventId(), work.occurredAt(), work.event()).orElse(null));
        message.setBody(work);
        exchange.setProperty(SyncWork.MAPPED, work.isMapped());
    }

    private static SyncWork fromEvent(Message message) {
        String occurred = message.getHeader(EventPublishProcessor.OCCURRED_AT_HEADER, String.class);
        return new SyncWork(message.getHeader(EventPublishProcessor.SOURCE_HEADER, String.class),
                message.getHeader(EventPublishProcessor.EVENT_ID_HEADER, String.class),
                occurred == null ? Instant.now() : Instant.parse(occurred), message.getBody(byte[].class),
                message.getHeader(EventTracing.TRACEPARENT, String.class));
    }
}
