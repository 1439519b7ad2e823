package org.ccbridge.sync.pipeline;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.sync.SyncEngine;
import org.ccbridge.sync.SyncProperties;

/**
 * Stages {@code record-sync-lock} ({@link #take()}) and {@code record-sync-release}
 * ({@link #release()}): the record's fenced lock, the same one the engine takes for review
 * decisions. It is renewed while the stages between run; its fencing token goes with every write
 * and the state commit.
 */
public class RecordLockStage implements AutoCloseable {

    private final FencedLocks locks;
    private final SyncProperties.Lock settings;
    private final AutoCloseable store;

    /** @param store what {@code locks} take their locks in, closed with the stage */
    public RecordLockStage(FencedLocks locks, SyncProperties.Lock settings, AutoCloseable store) {
        this.locks = locks;
        this.settings = settings;
        this.store = store;
    }

    /** Takes the lock; fails with LockNotAcquiredException when another holder kept it for the whole wait. */
    public Processor take() {
        return exchange -> {
            SyncWork work = work(exchange);
            work.lock(locks.hold(SyncEngine.lockName(work.change()), settings.lease(), settings.maxWait()));
        };
    }

    /** Releases the lock if this exchange took it; runs on success and failure alike. */
    public Processor release() {
        return exchange -> {
            SyncWork work = work(exchange);
            if (work.lock() != null) {
                work.lock().close();
            }
        };
    }

    /** The locks this stage takes, for the batched lane's lock stage. */
    public FencedLocks locks() {
        return locks;
    }

    @Override
    public void close() throws Exception {
        store.close();
    }

    private static SyncWork work(Exchange exchange) {
        return exchange.getMessage().getBody(SyncWork.class);
    }
}
