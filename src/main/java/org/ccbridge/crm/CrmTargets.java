package org.ccbridge.crm;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** The configured targets by name, each behind its guards. */
public class CrmTargets implements AutoCloseable {

    private final Map<String, GuardedTarget> targets;

    public CrmTargets(Map<String, GuardedTarget> targets) {
        this.targets = Map.copyOf(targets);
    }

    public Optional<GuardedTarget> find(String name) {
        return Optional.ofNullable(targets.get(name));
    }

    public Collection<GuardedTarget> all() {
        return targets.values();
    }

    /** Stops the targets' batch senders. */
    @Override
    public void close() throws Exception {
        for (GuardedTarget target : targets.values()) {
            target.close();
        }
    }
}
