package org.ccbridge.sync;

import java.util.Map;
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
 * Pauses a sync lane's queue consumer while the circuit of the target it writes to is open, so
 * that changes wait in the broker's queue (where operators see them) and not in memory; resumes
 * it when that circuit is half-open or closed again. The other lane keeps running. Suspending
 * stops the listener container: its unacked messages go back to the queue.
 */
public class SyncConsumerControl implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncConsumerControl.class);

    private final CamelContext camel;
    // suspending waits for in-flight exchanges; never on the thread whose call opened the circuit
    private final ExecutorService control = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ccbridge-sync-consumer-control");
        thread.setDaemon(true);
        return thread;
    });

    /** @param lanes per lane route id, the target it writes to */
    public SyncConsumerControl(CamelContext camel, Map<String, GuardedTarget> lanes) {
        this.camel = camel;
        lanes.forEach((routeId, target) -> target.circuitBreaker().getEventPublisher()
                .onStateTransition(event -> control.execute(() -> reconcile(routeId, target))));
    }

    /** Suspends or resumes the lane to match its target's circuit now. */
    void reconcile(String routeId, GuardedTarget target) {
        CircuitBreaker.State state = target.circuitBreaker().getState();
        boolean open = state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        try {
            if (open && status == ServiceStatus.Started) {
                LOG.warn("The circuit of target {} is open: pausing route {}; changes wait in the queue", target.name(), routeId);
                camel.getRouteController().suspendRoute(routeId, 30, TimeUnit.SECONDS);
            } else if (!open && status == ServiceStatus.Suspended) {
                LOG.info("The circuit of target {} is half-open or closed: resuming route {}", target.name(), routeId);
                camel.getRouteController().resumeRoute(routeId);
            }
        } catch (Exception e) {
            LOG.error("Could not {} route {}: {}", open ? "suspend" : "resume", routeId, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        control.shutdownNow();
    }
}
