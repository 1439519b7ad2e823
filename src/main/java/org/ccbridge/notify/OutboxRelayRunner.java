package org.ccbridge.notify;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the outbox relay while the application runs (when {@code ccbridge.notify.relay.enabled}):
 * {@code pollers} threads each drain what is due, a batch at a time, then wait the poll interval.
 * With two, one claims and decides its next batch while the other's rows are being sent; they
 * share the relay's senders, and their batches never overlap (each row is leased to one batch).
 */
public class OutboxRelayRunner implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayRunner.class);

    private final OutboxRelay relay;
    private final NotifyProperties.Relay settings;
    /** How long stopping waits for the batch under way, so that its calls end with an outcome in the ledger. */
    private static final long STOP_GRACE_MILLIS = 10_000;

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    public OutboxRelayRunner(OutboxRelay relay, NotifyProperties.Relay settings) {
        this.relay = relay;
        this.settings = settings;
    }

    /** Started by the notification configuration once Camel runs the routes it sends through, not by Spring before that. */
    @Override
    public boolean isAutoStartup() {
        return false;
    }

    @Override
    public void start() {
        if (!settings.enabled()) {
            return;
        }
        stopping = false;
        synchronized (threads) {
            for (int i = 0; i < settings.pollers(); i++) {
                Thread thread = new Thread(this::run, "ccbridge-outbox-relay-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }
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
        synchronized (threads) {
            stopping = true; // no new batch; the ones under way finish their calls
            long deadline = System.currentTimeMillis() + STOP_GRACE_MILLIS;
            for (Thread running : threads) {
                try {
                    running.join(Math.max(1, deadline - System.currentTimeMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // a call still out stays IN_FLIGHT in the ledger, and its row comes back after the lease
                running.interrupt();
            }
            threads.clear();
        }
    }

    @Override
    public boolean isRunning() {
        synchronized (threads) {
            return !threads.isEmpty();
        }
    }
}
