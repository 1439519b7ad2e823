package org.ccbridge.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers upserts that callers make at the same time into batches of up to {@code maxSize} (one
 * object type, each record once), waits at most {@code linger} for a batch to fill, and hands
 * each batch to a sender. Every caller still waits for its own record's result, so the sync
 * engine keeps deciding and saving one record at a time under its lock.
 */
final class UpsertBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpsertBatcher.class);

    /** One caller's write and the future its result completes. */
    record Pending(TargetWrite write, CompletableFuture<Void> result) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final int maxSize;
    private final long lingerNanos;
    private final Consumer<List<Pending>> sender;
    private final ExecutorService senders;
    private volatile boolean running = true;

    UpsertBatcher(String name, int maxSize, Duration linger, int senderThreads, Consumer<List<Pending>> sender) {
        this.maxSize = maxSize;
        this.lingerNanos = linger.toNanos();
        this.sender = sender;
        this.senders = Executors.newFixedThreadPool(senderThreads, runnable -> {
            Thread thread = new Thread(runnable, "ccbridge-batch-" + name);
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < senderThreads; i++) {
            senders.execute(this::sendLoop);
        }
    }

    /** Queues a write and waits for its result, at most {@code timeout}. */
    void upsert(TargetWrite write, Duration timeout) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        queue.add(new Pending(write, result));
        try {
            result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            // a write not yet sent is dropped from its batch; one already sent may still land,
            // like any request whose response was lost
            result.cancel(false);
            throw new TargetUnavailableException("no batch result within " + timeout.toMillis() + " ms", 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetUnavailableException("interrupted while waiting for the batch", 0, e);
        }
    }

    private void sendLoop() {
        List<Pending> carried = new ArrayList<>();
        while (running) {
            try {
                List<Pending> batch = nextBatch(carried);
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Takes the first waiting write, then whatever fits until the batch is full or the linger is over. */
    private List<Pending> nextBatch(List<Pending> carried) throws InterruptedException {
        List<Pending> batch = new ArrayList<>();
        Pending first = carried.isEmpty() ? queue.poll(100, TimeUnit.MILLISECONDS) : carried.remove(0);
        if (first == null || first.result().isDone()) {
            return batch;
        }
        batch.add(first);
        Set<String> keys = new HashSet<>();
        keys.add(first.write().recordKey());
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.size() < maxSize) {
            long left = deadline - System.nanoTime();
            Pending next = left <= 0 ? queue.poll() : queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            if (next.result().isDone()) {
                continue; // its caller gave up and retries or dead-letters it
            }
            // a second write of one record, or another object, waits for the next batch
            if (next.write().object().equals(first.write().object()) && keys.add(next.write().recordKey())) {
                batch.add(next);
            } else {
                carried.add(next);
            }
        }
        return batch;
    }

    private void send(List<Pending> batch) {
        try {
            sender.accept(batch);
        } catch (RuntimeException e) {
            LOG.debug("Batch of {} failed as a whole: {}", batch.size(), e.getMessage());
            batch.forEach(pending -> pending.result().completeExceptionally(e));
        }
        // a sender that forgot a record must not leave its caller waiting until the timeout
        batch.forEach(pending -> pending.result().completeExceptionally(
                new IllegalStateException("batch sender gave no result for record " + pending.write().recordKey())));
    }

    @Override
    public void close() {
        running = false;
        senders.shutdownNow();
    }
}
