package org.ccbridge.coordination;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fenced locks for Java callers (routes, the sync engine) and for the HTTP API.
 *
 * <p>{@link #withLock} (or {@link #hold}) takes a lock, renews its lease every third of its length while the work
 * runs, and releases it afterwards. When a renewal finds the lock gone, the work's
 * {@link HeldLock} says so at once and {@code withLock} ends in {@link LockLostException}, even if
 * the work itself finished: what it wrote may have been refused by fencing.
 */
public class FencedLocks {

    private static final Logger LOG = LoggerFactory.getLogger(FencedLocks.class);
    private static final long FIRST_BACKOFF_MS = 10;
    private static final long LONGEST_BACKOFF_MS = 250;

    private final LockStore store;
    private final ScheduledExecutorService renewals;
    private final Clock clock;
    private final String instance = "ccbridge-" + UUID.randomUUID();

    public FencedLocks(LockStore store, ScheduledExecutorService renewals, Clock clock) {
        this.store = store;
        this.renewals = renewals;
        this.clock = clock;
    }

    /** The work run under a lock. */
    @FunctionalInterface
    public interface LockedWork<T> {
        T run(HeldLock lock) throws Exception;
    }

    /**
     * Takes the lock, waiting up to {@code wait} while another owner holds it, polling with a
     * growing, jittered pause.
     */
    public Optional<LockLease> acquire(String resource, String owner, Duration ttl, Duration wait)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        long backoff = FIRST_BACKOFF_MS;
        while (true) {
            Optional<LockLease> lease = acquireOrForget(resource, owner, ttl);
            long left = deadline - System.nanoTime();
            if (lease.isPresent() || left <= 0) {
                return lease;
            }
            long pause = Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1,
                    backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
            Thread.sleep(pause);
            backoff = Math.min(LONGEST_BACKOFF_MS, backoff * 2);
        }
    }

    /**
     * Runs {@code work} under the lock on {@code resource}.
     *
     * @throws LockNotAcquiredException when another owner held it for all of {@code wait}
     * @throws LockLostException        when the lease was lost while the work ran
     */
    public <T> T withLock(String resource, Duration ttl, Duration wait, LockedWork<T> work) throws Exception {
        try (Hold hold = hold(resource, ttl, wait)) {
            T result = work.run(hold);
            hold.assertHeld();
            return result;
        }
    }

    /**
     * Takes the lock and renews it in the background until the hold is closed, for work that is
     * not one call (the record-sync route takes it in one stage and releases it in another).
     *
     * @throws LockNotAcquiredException when another owner held it for all of {@code wait}
     */
    public Hold hold(String resource, Duration ttl, Duration wait) throws InterruptedException {
        String owner = instance + ":" + UUID.randomUUID();
        LockLease lease = acquire(resource, owner, ttl, wait)
                .orElseThrow(() -> new LockNotAcquiredException(resource, wait));
        Hold hold = new Hold(lease, ttl);
        long period = Math.max(1, ttl.toMillis() / 3);
        hold.schedule = renewals.scheduleWithFixedDelay(hold::renew, period, period, TimeUnit.MILLISECONDS);
        return hold;
    }

    /**
     * Takes the locks of many resources in one round trip to the store, without waiting for any:
     * the group holds those that were free, and the caller handles the others on its own (the
     * batched sync lane sends them down the one-change path, which waits). One renewal task
     * renews the whole group; closing it releases what is still held in one round trip.
     */
    public Group holdAll(List<String> resources, Duration ttl) {
        List<LockStore.Request> requests = new ArrayList<>(resources.size());
        for (String resource : resources) {
            requests.add(new LockStore.Request(resource, instance + ":" + UUID.randomUUID(), ttl));
        }
        List<Optional<LockLease>> leases;
        try {
            leases = store.acquireAll(requests);
        } catch (CoordinationStoreUnavailableException e) {
            forget(requests);
            throw e;
        }
        List<Hold> holds = new ArrayList<>(leases.size());
        for (Optional<LockLease> lease : leases) {
            holds.add(lease.map(taken -> new Hold(taken, ttl)).orElse(null));
        }
        Group group = new Group(holds);
        long period = Math.max(1, ttl.toMillis() / 3);
        group.schedule = renewals.scheduleWithFixedDelay(group::renew, period, period, TimeUnit.MILLISECONDS);
        return group;
    }

    /**
     * One acquisition; when its answer is lost (a timeout) the store may still have taken the
     * lock for {@code owner}, whom no one would then know: released at once, or a retry under a
     * new owner would find the record held by a ghost until the lease ran out.
     */
    private Optional<LockLease> acquireOrForget(String resource, String owner, Duration ttl) {
        try {
            return store.acquire(resource, owner, ttl);
        } catch (CoordinationStoreUnavailableException e) {
            forget(List.of(new LockStore.Request(resource, owner, Duration.ZERO)));
            throw e;
        }
    }

    /** Releases locks these owners may hold after a lost answer; where that fails too, their leases run out. */
    private void forget(List<LockStore.Request> requests) {
        try {
            store.releaseAll(requests);
        } catch (CoordinationStoreUnavailableException e) {
            LOG.warn("Could not release {} locks whose acquisition went unanswered; they lapse after their lease: {}",
                    requests.size(), e.getMessage());
        }
    }

    private void release(String resource, String owner) {
        try {
            store.release(resource, owner);
        } catch (CoordinationStoreUnavailableException e) {
            // the lease runs out on its own
            LOG.warn("Could not release lock {}: {}", resource, e.getMessage());
        }
    }

    /** Locks taken together by {@link #holdAll}: one renewal task, one release round trip. */
    public final class Group implements AutoCloseable {

        private final List<Hold> holds;
        private ScheduledFuture<?> schedule;

        private Group(List<Hold> holds) {
            this.holds = holds;
        }

        /** The hold of the i-th resource asked for; empty when another owner held it. */
        public Optional<Hold> get(int index) {
            return Optional.ofNullable(holds.get(index));
        }

        private void renew() {
            for (Hold hold : holds) {
                if (hold != null && !hold.closed) {
                    hold.renew();
                }
            }
        }

        /** Stops the renewals and releases every hold still open and ours, in one round trip. */
        @Override
        public void close() {
            schedule.cancel(false);
            List<LockStore.Request> releases = new ArrayList<>();
            for (Hold hold : holds) {
                if (hold != null && !hold.closed) {
                    hold.closed = true;
                    if (hold.isHeld()) {
                        releases.add(new LockStore.Request(hold.lease.resource(), hold.lease.owner(), Duration.ZERO));
                    }
                }
            }
            if (releases.isEmpty()) {
                return;
            }
            try {
                store.releaseAll(Collections.unmodifiableList(releases));
            } catch (CoordinationStoreUnavailableException e) {
                LOG.warn("Could not release {} locks: {}", releases.size(), e.getMessage());
            }
        }
    }

    /** A lock being held; closing it stops the renewals and releases the lock if it is still ours. */
    public final class Hold implements HeldLock, AutoCloseable {

        private final LockLease lease;
        private final Duration ttl;
        private volatile boolean held = true;
        private volatile Instant expiresAt;
        private ScheduledFuture<?> schedule;
        private boolean closed;

        private Hold(LockLease lease, Duration ttl) {
            this.lease = lease;
            this.ttl = ttl;
            this.expiresAt = lease.expiresAt();
        }

        void renew() {
            if (!held) {
                return;
            }
            try {
                Optional<LockLease> renewed = store.renew(lease.resource(), lease.owner(), ttl);
                if (renewed.isPresent() && renewed.get().fencingToken() == lease.fencingToken()) {
                    expiresAt = renewed.get().expiresAt();
                } else {
                    lost("taken over or expired");
                }
            } catch (CoordinationStoreUnavailableException e) {
                // keep trying while the lease may still run; past its end nobody can be sure
                if (!clock.instant().isBefore(expiresAt)) {
                    lost("store unreachable until the lease ran out");
                }
            }
        }

        private void lost(String why) {
            held = false;
            if (schedule != null) { // a grouped hold is renewed by its group
                schedule.cancel(false);
            }
            LOG.warn("Lock {} lost while its work ran: {}", lease.resource(), why);
        }

        @Override
        public long fencingToken() {
            return lease.fencingToken();
        }

        @Override
        public boolean isHeld() {
            return held && clock.instant().isBefore(expiresAt);
        }

        /** Idempotent: the route's finally stage may close a hold its error path already closed. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (schedule != null) {
                schedule.cancel(false);
            }
            if (isHeld()) {
                release(lease.resource(), lease.owner());
            }
        }
    }
}
