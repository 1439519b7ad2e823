package org.ccbridge.sync;

import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.ccbridge.broker.DeadLetterProcessor;
import org.ccbridge.broker.EventPublishProcessor;
import org.ccbridge.crm.CircuitOpenException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync route's step: reads the change an accepted event carries and runs it through the
 * engine. Sets {@code ccbridge-sync-status} on the exchange. Every outcome is counted by status
 * in {@code ccbridge_sync_changes_total}.
 */
public class RecordSyncProcessor implements Processor {

    public static final String STATUS_HEADER = "ccbridge-sync-status";

    private static final long REQUEUE_PAUSE_MS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(RecordSyncProcessor.class);

    private final ChangeReader reader;
    private final SyncRetrier retrier;
    private final MeterRegistry registry;

    public RecordSyncProcessor(ChangeReader reader, SyncRetrier retrier, MeterRegistry registry) {
        this.reader = reader;
        this.retrier = retrier;
        this.registry = registry;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        String source = message.getHeader(EventPublishProcessor.SOURCE_HEADER, String.class);
        String eventId = message.getHeader(EventPublishProcessor.EVENT_ID_HEADER, String.class);
        String occurred = message.getHeader(EventPublishProcessor.OCCURRED_AT_HEADER, String.class);
        Instant occurredAt = occurred == null ? Instant.now() : Instant.parse(occurred);
        Optional<RecordChange> change;
        try {
            change = reader.read(source, eventId, occurredAt, message.getBody(byte[].class));
        } catch (InvalidChangeException e) {
            finish(exchange, retrier.park(e).status(), source);
            return;
        }
        if (change.isEmpty()) {
            LOG.debug("Event {} from {} touches no mapped field; nothing to sync", eventId, source);
            registry.counter("ccbridge.sync.changes", "status", "NOT_MAPPED", "source", String.valueOf(source)).increment();
            message.setHeader(STATUS_HEADER, "NOT_MAPPED");
            return;
        }
        try {
            SyncOutcome outcome = retrier.run(change.get());
            if (outcome.status() == SyncStatus.SKIPPED_ECHO) {
                LOG.info("Dropped echo of record {} (event {} from {})", change.get().recordName(), eventId, source);
            }
            finish(exchange, outcome.status(), source);
        } catch (CircuitOpenException | SyncDeferredException e) {
            registry.counter("ccbridge.sync.requeued", "source", String.valueOf(source)).increment();
            // the consumer is being paused or a store is down; do not spin the message through the queue
            Thread.sleep(REQUEUE_PAUSE_MS);
            throw e;
        } catch (SyncFailedException e) {
            exchange.setProperty(DeadLetterProcessor.ATTEMPTS_PROPERTY, e.attempts());
            throw e;
        }
    }

    private void finish(Exchange exchange, SyncStatus status, String source) {
        registry.counter("ccbridge.sync.changes", "status", status.name(), "source", String.valueOf(source)).increment();
        exchange.getMessage().setHeader(STATUS_HEADER, status.name());
    }
}
