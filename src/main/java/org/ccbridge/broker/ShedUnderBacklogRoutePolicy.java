package org.ccbridge.broker;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route policy {@code shedUnderBacklog}: marks a route non-critical. While the
 * {@link BacklogMonitor} is shedding, the route's consumer is suspended (its unacknowledged
 * messages go back to the queue and wait there); once shedding ends it consumes again. A route
 * file opts in with {@code routePolicy: shedUnderBacklog}; routes without it keep consuming.
 */
public class ShedUnderBacklogRoutePolicy extends RoutePolicySupport {

    /** The bean name route files refer to. */
    public static final String BEAN = "shedUnderBacklog";

    private static final Logger LOG = LoggerFactory.getLogger(ShedUnderBacklogRoutePolicy.class);

    private final BacklogMonitor monitor;
    private final Set<Route> routes = ConcurrentHashMap.newKeySet();

    public ShedUnderBacklogRoutePolicy(BacklogMonitor monitor) {
        this.monitor = monitor;
        monitor.onShedding(this::shed);
    }

    @Override
    public void onInit(Route route) {
        routes.add(route);
    }

    @Override
    public void onRemove(Route route) {
        routes.remove(route);
    }

    @Override
    public void onStart(Route route) {
        // a route started or reloaded while shedding does not start consuming
        if (monitor.shedding()) {
            suspend(route);
        }
    }

    private void shed(boolean shedding) {
        for (Route route : routes) {
            if (shedding) {
                suspend(route);
            } else {
                resume(route);
            }
        }
    }

    private void suspend(Route route) {
        try {
            suspendOrStopConsumer(route.getConsumer());
            LOG.info("Route {} suspended while the backlog is shed", route.getRouteId());
        } catch (Exception e) {
            LOG.warn("Route {} could not be suspended: {}", route.getRouteId(), e.getMessage());
        }
    }

    private void resume(Route route) {
        try {
            resumeOrStartConsumer(route.getConsumer());
            LOG.info("Route {} consumes again", route.getRouteId());
        } catch (Exception e) {
            LOG.warn("Route {} could not be resumed: {}", route.getRouteId(), e.getMessage());
        }
    }
}
