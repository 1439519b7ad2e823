package org.ccbridge.sync.pipeline;

import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.Processor;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.sync.SyncSystem;

/**
 * Stages {@code record-sync-write-crm} and {@code record-sync-write-contact-center}
 * ({@link #to(SyncSystem)}): the planned write to one system, through its target (the Salesforce
 * or REST endpoint, the throttle pause and the rate limit). The route wraps each in a
 * circuitBreaker with the target's breaker.
 */
public class TargetWriteStage {

    private final Function<SyncSystem, Optional<GuardedTarget>> targets;

    public TargetWriteStage(Function<SyncSystem, Optional<GuardedTarget>> targets) {
        this.targets = targets;
    }

    public Processor to(SyncSystem system) {
        return exchange -> {
            SyncWork work = exchange.getMessage().getBody(SyncWork.class);
            // a lapsed lock means another instance may be deciding this record now
            work.lock().assertHeld();
            GuardedTarget target = targets.apply(system).orElseThrow(() -> new IllegalStateException(
                    "a write to " + system + " was planned but no target is configured for it"));
            target.upsertWithinBreaker(work.plan().writes().get(system));
        };
    }
}
