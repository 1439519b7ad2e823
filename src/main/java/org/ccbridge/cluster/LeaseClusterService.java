package org.ccbridge.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.apache.camel.support.cluster.AbstractCamelClusterService;

import org.ccbridge.coordination.LockStore;

/**
 * Camel's cluster service over the coordination lock store: a route whose consumer is wrapped in
 * {@code master:<namespace>:...} runs on the one instance that holds the namespace's lease, and
 * the others stand by. The lease is a fenced lock ({@code cluster:<namespace>}) in the same store
 * as the record locks; its fencing token says which holder wrote last. A holder that dies stops
 * renewing, and another instance takes over once the lease has run out.
 */
public class LeaseClusterService extends AbstractCamelClusterService<LeaseClusterView> {

    private final LockStore locks;
    private final Clock clock;
    private final Duration lease;
    private final Duration interval;
    private final Map<String, LeaseClusterView> views = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;

    /**
     * @param id       this instance's name in the lock store: unique per running instance
     * @param lease    how long a lease lasts unrenewed: how long a dead holder's sources stay unpulled
     * @param interval how often a view renews its lease, or tries to take it
     */
    public LeaseClusterService(String id, LockStore locks, Clock clock, Duration lease, Duration interval) {
        super(id);
        if (interval.multipliedBy(2).compareTo(lease) > 0) {
            throw new IllegalArgumentException("the lease (" + lease + ") must last at least two renewal intervals ("
                    + interval + ")");
        }
        this.locks = locks;
        this.clock = clock;
        this.lease = lease;
        this.interval = interval;
    }

    @Override
    protected LeaseClusterView createView(String namespace) {
        LeaseClusterView view = new LeaseClusterView(this, namespace);
        views.put(namespace, view);
        return view;
    }

    /**
     * The fencing token of {@code namespace}'s lease while this instance holds it: a write made as
     * its holder (a pulled source's cursor) carries it, so that a holder that lost the lease
     * cannot overwrite the next one's.
     */
    public OptionalLong fencingToken(String namespace) {
        LeaseClusterView view = views.get(namespace);
        return view == null ? OptionalLong.empty() : view.fencingToken();
    }

    @Override
    protected void doStart() throws Exception {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ccbridge-cluster-leases");
            thread.setDaemon(true);
            return thread;
        });
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (executor != null) { // null when the context failed before the service started
            executor.shutdownNow();
        }
    }

    LockStore locks() {
        return locks;
    }

    Clock clock() {
        return clock;
    }

    Duration lease() {
        return lease;
    }

    Duration interval() {
        return interval;
    }

    ScheduledExecutorService executor() {
        return executor;
    }
}
