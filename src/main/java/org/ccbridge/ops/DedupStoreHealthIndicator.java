package org.ccbridge.ops;

import org.ccbridge.dedup.DedupStore;
import org.ccbridge.dedup.DedupStoreUnavailableException;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Readiness of the active dedup store, whichever adapter it is: without it no event can be
 * accepted, so the instance should leave the load balancer.
 */
@Component("dedupStoreHealthIndicator")
class DedupStoreHealthIndicator implements HealthIndicator {

    private final DedupStore store;

    DedupStoreHealthIndicator(DedupStore store) {
        this.store = store;
    }

    @Override
    public Health health() {
        try {
            store.ping();
            return Health.up().withDetail("adapter", store.getClass().getSimpleName()).build();
        } catch (DedupStoreUnavailableException e) {
            return Health.down().withDetail("adapter", store.getClass().getSimpleName()).build();
        }
    }
}
