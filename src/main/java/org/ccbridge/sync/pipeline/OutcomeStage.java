package org.ccbridge.sync.pipeline;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.SyncStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage {@code record-sync-outcome}: sets {@code ccbridge-sync-status}, counts the change by
 * status and source in {@code ccbridge_sync_changes_total}, and adds the decision to the event's
 * fate; a dropped echo is logged, as the first echo of a loop is what operators look for.
 */
public class OutcomeStage implements Processor {

    public static final String STATUS_HEADER = "ccbridge-sync-status";

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeStage.class);

    private final MeterRegistry registry;
    private final SyncFate fate;

    public OutcomeStage(MeterRegistry registry, SyncFate fate) {
        this.registry = registry;
        this.fate = fate;
    }

    @Override
    public void process(Exchange exchange) {
        SyncWork work = exchange.getMessage().getBody(SyncWork.class);
        exchange.getMessage().setHeader(STATUS_HEADER, record(work));
    }

    /** Counts the change, logs a dropped echo, and returns its status. */
    String record(SyncWork work) {
        String status = work.getStatus();
        if (SyncStatus.SKIPPED_ECHO.name().equals(status)) {
            LOG.info("Dropped echo of record {} (event {} from {})", work.change().recordName(), work.eventId(),
                    work.source());
        } else if (status.equals("NOT_MAPPED")) {
            LOG.debug("Event {} from {} touches no mapped field; nothing to sync", work.eventId(), work.source());
        }
        registry.counter("ccbridge.sync.changes", "status", status, "source", String.valueOf(work.source())).increment();
        fate.decided(work, status);
        return status;
    }
}
