package org.ccbridge.notify;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the outbox relay on a thread of its own while the application runs (when
 * {@code ccbridge.notify.relay.enabled}): it drains what is due, then waits the poll interval.
 */
public class OutboxRelayRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayRunner.class);

    private final OutboxRelay relay;
    private final NotifyProperties.Relay settings;
    /** How long stopping waits for the batch under way, so that its calls end with an outcome in the ledger. */
    private static final long STOP_GRACE_MILLIS = 10_000;

    private volatile Thread thread;
    private volatile boolean stopping;

    public OutboxRelayRunner(OutboxRelay relay, NotifyProperties.Relay settings) {
        this.relay = relay;
        this.settings = settings;
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        stopping = false;
        thread = new Thread(this::run, "ccbridge-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            try {
                if (relay.relayOnce() == 0) {
                    Thread.sleep(settings.interval().toMillis());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database may be away; rows stay PENDING and leased rows come back after their lease
                LOG.warn("Outbox relay poll failed: {}", e.getMessage());
                try {
                    Thread.sleep(settings.interval().toMillis());
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    @Override
    public void stop() {
        Thread running = thread;
        if (running == null) {
            return;
        }
        stopping = true; // no new batch; the one under way finishes its calls
        try {
            running.join(STOP_GRACE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.interrupt(); // a call still out stays IN_FLIGHT in the ledger, and its row comes back after the lease
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
