package org.ccbridge.sync.pipeline;

import org.ccbridge.sync.StateCommitter;

/** Stage {@code record-sync-commit}: the record's new state, fenced by the lock's token. */
public class CommitStage {

    private final StateCommitter committer;

    public CommitStage(StateCommitter committer) {
        this.committer = committer;
    }

    public SyncWork commit(SyncWork work) {
        work.outcome(committer.commit(work.plan(), work.lock()));
        return work;
    }
}
