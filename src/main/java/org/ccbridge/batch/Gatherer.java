package org.ccbridge.batch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the calls that many threads make at the same time into one call per batch: each caller
 * submits its item and waits for its own result, while a worker takes whatever is waiting (up to
 * {@code maxSize}) and makes one call for all of it. No linger: a batch is what queued up while
 * the previous call ran, so a lone caller waits for nothing, and under load one round trip to a
 * store serves as many callers as were waiting.
 *
 * @param <I> what a caller submits
 * @param <O> its result; the batch call returns one per item, in order
 */
public final class Gatherer<I, O> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gatherer.class);

    private record Pending<I, O>(I item, CompletableFuture<O> result) {
    }

    private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    private final int maxSize;
    private final Function<List<I>, List<O>> batchCall;
    private final ExecutorService workers;
    private volatile boolean running = true;

    /**
     * @param workers batch calls in flight at once
     */
    public Gatherer(String name, int maxSize, int workers, Function<List<I>, List<O>> batchCall) {
        this.maxSize = maxSize;
        this.batchCall = batchCall;
        this.workers = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "ccbridge-gather-" + name);
            thread.setDaemon(true);
            return thread;
        });
        for (int i = 0; i < workers; i++) {
            this.workers.execute(this::work);
        }
    }

    /**
     * Waits for the item's result, at most {@code timeout}.
     *
     * @throws RuntimeException       whatever the batch call threw, for every item of the batch
     * @throws GatherTimeoutException when no result came in time
     */
    public O call(I item, Duration timeout) throws InterruptedException {
        CompletableFuture<O> result = new CompletableFuture<>();
        queue.add(new Pending<>(item, result));
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            result.cancel(false);
            throw new GatherTimeoutException("no batch result within " + timeout.toMillis() + " ms", e);
        }
    }

    private void work() {
        List<Pending<I, O>> batch = new ArrayList<>(maxSize);
        while (running) {
            try {
                Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxSize - 1);
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void run(List<Pending<I, O>> batch) {
        // a caller that gave up (timeout) is left out; its retry submits again
        batch.removeIf(pending -> pending.result().isDone());
        if (batch.isEmpty()) {
            return;
        }
        List<I> items = new ArrayList<>(batch.size());
        batch.forEach(pending -> items.add(pending.item()));
        try {
            List<O> results = batchCall.apply(items);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(results.get(i));
            }
        } catch (RuntimeException e) {
            LOG.debug("Batch of {} failed as a whole: {}", batch.size(), e.getMessage());
            batch.forEach(pending -> pending.result().completeExceptionally(e));
        }
    }

    @Override
    public void close() {
        running = false;
        workers.shutdownNow();
    }
}
