package org.ccbridge.sync;

import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.ccbridge.crm.GuardedTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses the sync route's queue consumer while a target's circuit is open, so that changes wait
 * in the broker's queue (where operators see them) and not in memory; resumes it when every
 * circuit is half-open or closed again. Suspending stops the listener container: its unacked
 * messages go back to the queue.
 */
public class SyncConsumerControl implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncConsumerControl.class);

    private final CamelContext camel;
    private final String routeId;
    private final Collection<GuardedTarget> targets;
    // suspending waits for in-flight exchanges; never on the thread whose call opened the circuit
    private final ExecutorService control = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ccbridge-sync-consumer-control");
        thread.setDaemon(true);
        return thread;
    });

    public SyncConsumerControl(CamelContext camel, String routeId, Collection<GuardedTarget> targets) {
        this.camel = camel;
        this.routeId = routeId;
        this.targets = targets;
        for (GuardedTarget target : targets) {
            target.circuitBreaker().getEventPublisher().onStateTransition(event -> control.execute(this::reconcile));
        }
    }

    /** Suspends or resumes the route to match the circuits now. */
    void reconcile() {
        boolean anyOpen = targets.stream().map(target -> target.circuitBreaker().getState())
                .anyMatch(state -> state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN);
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        try {
            if (anyOpen && status == ServiceStatus.Started) {
                LOG.warn("A target circuit is open: pausing route {}; changes wait in the queue", routeId);
                camel.getRouteController().suspendRoute(routeId, 30, TimeUnit.SECONDS);
            } else if (!anyOpen && status == ServiceStatus.Suspended) {
                LOG.info("Target circuits half-open or closed: resuming route {}", routeId);
                camel.getRouteController().resumeRoute(routeId);
            }
        } catch (Exception e) {
            LOG.error("Could not {} route {}: {}", anyOpen ? "suspend" : "resume", routeId, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        control.shutdownNow();
    }
}
