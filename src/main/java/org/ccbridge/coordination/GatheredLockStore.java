package org.ccbridge.coordination;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.ccbridge.batch.GatherTimeoutException;
import org.ccbridge.batch.Gatherer;

/**
 * A lock store for many threads that take and release locks at the same moment (the sync
 * pipeline's exchanges): the acquisitions waiting together go to the store as one
 * {@link LockStore#acquireAll}, the releases as one {@link LockStore#releaseAll}; with Redis, one
 * pipelined round trip each. Each lock is still decided on its own. Renewals, rare, go straight
 * through.
 */
public class GatheredLockStore implements LockStore, AutoCloseable {

    private final LockStore store;
    private final Duration wait;
    private final Gatherer<Request, Optional<LockLease>> acquisitions;
    private final Gatherer<Request, Boolean> releases;

    /** @param wait how long a caller waits for its batch's answer before the store counts as unavailable */
    public GatheredLockStore(LockStore store, int maxBatch, int workers, Duration wait) {
        this.store = store;
        this.wait = wait;
        this.acquisitions = new Gatherer<>("lock-acquire", maxBatch, workers, store::acquireAll);
        this.releases = new Gatherer<>("lock-release", maxBatch, workers, store::releaseAll);
    }

    @Override
    public Optional<LockLease> acquire(String resource, String owner, Duration ttl) {
        return gathered(acquisitions, new Request(resource, owner, ttl));
    }

    @Override
    public Optional<LockLease> renew(String resource, String owner, Duration ttl) {
        return store.renew(resource, owner, ttl);
    }

    @Override
    public boolean release(String resource, String owner) {
        return gathered(releases, new Request(resource, owner, Duration.ZERO));
    }

    @Override
    public List<Optional<LockLease>> acquireAll(List<Request> requests) {
        return store.acquireAll(requests);
    }

    @Override
    public List<Boolean> releaseAll(List<Request> requests) {
        return store.releaseAll(requests);
    }

    private <O> O gathered(Gatherer<Request, O> gatherer, Request request) {
        try {
            return gatherer.call(request, wait);
        } catch (GatherTimeoutException e) {
            throw new CoordinationStoreUnavailableException("the lock store did not answer within "
                    + wait.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationStoreUnavailableException("interrupted while waiting for the lock store", e);
        }
    }

    @Override
    public void close() {
        acquisitions.close();
        releases.close();
    }
}
