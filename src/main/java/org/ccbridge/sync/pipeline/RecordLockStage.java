package org.ccbridge.sync.pipeline;

import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.sync.SyncEngine;
import org.ccbridge.sync.SyncProperties;

/**
 * Stages {@code record-sync-lock} and {@code record-sync-release}: the record's fenced lock, the
 * same one the engine takes for review decisions. It is renewed while the stages between run;
 * its fencing token goes with every write and the state commit.
 */
public class RecordLockStage {

    private final FencedLocks locks;
    private final SyncProperties.Lock settings;

    public RecordLockStage(FencedLocks locks, SyncProperties.Lock settings) {
        this.locks = locks;
        this.settings = settings;
    }

    /** @throws org.ccbridge.coordination.LockNotAcquiredException when another holder kept it for the whole wait */
    public SyncWork take(SyncWork work) throws InterruptedException {
        work.lock(locks.hold(SyncEngine.lockName(work.change()), settings.lease(), settings.maxWait()));
        return work;
    }

    /** Releases the lock if this exchange took it; runs on success and failure alike. */
    public SyncWork release(SyncWork work) {
        if (work.lock() != null) {
            work.lock().close();
        }
        return work;
    }
}
