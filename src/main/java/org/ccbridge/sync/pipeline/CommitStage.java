package org.ccbridge.sync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.sync.StateCommitter;

/** Stage {@code record-sync-commit}: the record's new state, fenced by the lock's token. */
public class CommitStage implements Processor {

    private final StateCommitter committer;

    public CommitStage(StateCommitter committer) {
        this.committer = committer;
    }

    @Override
    public void process(Exchange exchange) {
        SyncWork work = exchange.getMessage().getBody(SyncWork.class);
        work.outcome(committer.commit(work.plan(), work.lock()));
    }
}
