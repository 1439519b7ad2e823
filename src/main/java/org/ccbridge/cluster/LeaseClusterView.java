package org.ccbridge.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.ccbridge.coordination.LockLease;
import org.ccbridge.coordination.LockStore;

/**
 * One namespace's lease, as this instance sees it: taken when free, renewed while held. The
 * holder steps down when it has not renewed for half the lease (its store did not answer), so
 * that it has stopped before another instance can take the lease over.
 */
public class LeaseClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseClusterView.class);

    private final LeaseClusterService service;
    private final String resource;
    private final Member local = new Member();
    private volatile LockLease held;
    private volatile Instant renewedAt;
    private ScheduledFuture<?> task;

    LeaseClusterView(LeaseClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
        this.resource = "cluster:" + namespace;
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        return held == null ? Optional.empty() : Optional.of(local);
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return local;
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        // the store knows the holder only, not who stands by
        return held == null ? List.of() : List.of(local);
    }

    /** The fencing token of the lease while this instance holds it: writes made as holder carry it. */
    public OptionalLong fencingToken() {
        LockLease lease = held;
        return lease == null ? OptionalLong.empty() : OptionalLong.of(lease.fencingToken());
    }

    @Override
    protected void doStart() {
        long every = service.interval().toMillis();
        task = service.executor().scheduleWithFixedDelay(this::takeOrRenew, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Holds the view's lock, so that a renewal under way finishes before the lease is released. */
    @Override
    protected synchronized void doStop() {
        if (task != null) {
            task.cancel(false);
        }
        if (held != null) {
            stepDown("the view stopped");
            try {
                service.locks().release(resource, service.getId());
            } catch (RuntimeException e) {
                LOG.warn("Could not release the lease of {}; it runs out by itself: {}", resource, e.toString());
            }
        }
    }

    private synchronized void takeOrRenew() {
        if (!isRunAllowed()) {
            return; // stopping: the lease is released, not taken again
        }
        LockStore locks = service.locks();
        try {
            Optional<LockLease> lease = held == null ? locks.acquire(resource, service.getId(), service.lease())
                    : locks.renew(resource, service.getId(), service.lease());
            if (lease.isPresent()) {
                boolean taken = held == null;
                held = lease.get();
                renewedAt = service.clock().instant();
                if (taken) {
                    LOG.info("{} leads {} (fencing token {})", service.getId(), getNamespace(), held.fencingToken());
                    fireLeadershipChangedEvent(local);
                }
            } else if (held != null) {
                stepDown("another instance holds the lease");
            }
        } catch (RuntimeException e) {
            // the store did not answer: keep leading only while the last renewal is recent
            if (held != null && service.clock().instant().isAfter(renewedAt.plus(service.lease().dividedBy(2)))) {
                stepDown("the lock store did not answer: " + e.getClass().getSimpleName());
            } else {
                LOG.debug("Lease of {} not checked: {}", resource, e.toString());
            }
        }
    }

    private void stepDown(String why) {
        LOG.info("{} no longer leads {}: {}", service.getId(), getNamespace(), why);
        held = null;
        fireLeadershipChangedEvent(Optional.empty());
    }

    private final class Member implements CamelClusterMember {

        @Override
        public boolean isLeader() {
            return held != null;
        }

        @Override
        public boolean isLocal() {
            return true;
        }

        @Override
        public String getId() {
            return service.getId();
        }
    }
}
