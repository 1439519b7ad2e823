package org.ccbridge.coordination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Port for leased, fenced locks on named resources.
 *
 * <p>A lock is held by an owner until it releases it or its lease runs out. Every time a lock
 * changes hands it gets a fencing token greater than every token issued for that resource before,
 * across instances and restarts, so a storage layer that remembers the highest token it saw can
 * reject the writes of a holder whose lease ran out while it worked. Every operation throws
 * {@link CoordinationStoreUnavailableException} when the store cannot answer.
 */
public interface LockStore {

    /**
     * Takes the lock for {@code owner}, or extends it when {@code owner} holds it already (a
     * retried request gets its own lease back, with the same token).
     *
     * @return the lease, or empty while another owner holds the lock
     */
    Optional<LockLease> acquire(String resource, String owner, Duration ttl);

    /** Extends the lease of {@code owner}; empty when it no longer holds the lock. */
    Optional<LockLease> renew(String resource, String owner, Duration ttl);

    /** Releases the lock of {@code owner}; false when it no longer holds it. */
    boolean release(String resource, String owner);

    /** One lock to take or release in a batch. */
    record Request(String resource, String owner, Duration ttl) {
    }

    /**
     * Several {@link #acquire}s, each decided as on its own, in as few round trips as the store
     * can manage; by default one after another.
     */
    default List<Optional<LockLease>> acquireAll(List<Request> requests) {
        List<Optional<LockLease>> leases = new ArrayList<>(requests.size());
        requests.forEach(request -> leases.add(acquire(request.resource(), request.owner(), request.ttl())));
        return leases;
    }

    /** Several {@link #release}s, in as few round trips as the store can manage. */
    default List<Boolean> releaseAll(List<Request> requests) {
        List<Boolean> released = new ArrayList<>(requests.size());
        requests.forEach(request -> released.add(release(request.resource(), request.owner())));
        return released;
    }
}
