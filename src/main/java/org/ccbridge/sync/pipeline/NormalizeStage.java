package org.ccbridge.sync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.ChangeReader;
import org.ccbridge.sync.InvalidChangeException;

/**
 * Stage {@code record-sync-prepare-normalize}: canonical values (E.164 phones, lower-case emails, ...). A
 * value that fails validation does not fail the exchange: the change is decided as INVALID and
 * parked for review with its values as received.
 */
public class NormalizeStage implements Processor {

    private final ChangeReader reader;

    public NormalizeStage(ChangeReader reader) {
        this.reader = reader;
    }

    @Override
    public void process(Exchange exchange) {
        SyncWork work = exchange.getMessage().getBody(SyncWork.class);
        try {
            work.change(reader.normalize(work.received()));
        } catch (InvalidChangeException e) {
            work.invalid(e);
        }
    }
}
