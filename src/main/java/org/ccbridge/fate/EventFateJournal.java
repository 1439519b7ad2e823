package org.ccbridge.fate;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Writes fate entries off the caller's thread: {@link #append} only queues the entry, and one
 * writer thread inserts what has queued, a batch at a time. An acknowledgment never waits for the
 * journal, and a slow or absent database costs the journal its entries, not the platforms their
 * answers: past {@code ccbridge.fate.buffer} entries are dropped, counted in
 * {@code ccbridge_fate_dropped_total} and logged at most once a minute; each failed write is counted
 * in {@code ccbridge_fate_write_failures_total}. On shutdown, what has
 * queued is written before the database closes.
 */
public class EventFateJournal implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(EventFateJournal.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /** How long the first entry of a batch waits for more; what an operator waits for a story, at most. */
    private static final Duration LINGER = Duration.ofMillis(100);
    private static final Duration DROP_LOG_EVERY = Duration.ofMinutes(1);
    private static final long SHUTDOWN_FLUSH_MILLIS = 5_000;

    private final EventFateRepository repository;
    private final int batchSize;
    private final LinkedBlockingQueue<FateEntry> queued;
    private final Counter written;
    private final Counter dropped;
    private final Counter writeFailures;
    private final Clock clock;
    private final AtomicLong lastDropLog = new AtomicLong(Long.MIN_VALUE);
    private final Thread writer;
    private volatile boolean stopping;

    public EventFateJournal(EventFateRepository repository, EventFateProperties properties, MeterRegistry registry,
                            Clock clock) {
        this.repository = repository;
        this.batchSize = properties.batchSize();
        this.queued = new LinkedBlockingQueue<>(properties.buffer());
        this.written = registry.counter("ccbridge.fate.written");
        this.dropped = registry.counter("ccbridge.fate.dropped");
        this.writeFailures = registry.counter("ccbridge.fate.write.failures");
        registry.gauge("ccbridge.fate.queued", queued, LinkedBlockingQueue::size);
        this.clock = clock;
        this.writer = new Thread(this::run, "ccbridge-fate-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues the entry for writing; never blocks. */
    public void append(FateEntry entry) {
        if (!queued.offer(entry)) {
            dropped.increment();
            long now = clock.millis();
            long last = lastDropLog.get();
            if (now - last >= DROP_LOG_EVERY.toMillis() && lastDropLog.compareAndSet(last, now)) {
                LOG.warn("Event fate journal full ({} entries waiting for the database): entries are being dropped",
                        queued.size());
            }
        }
    }

    /** Entries waiting to be written. */
    public int queuedCount() {
        return queued.size();
    }

    private void run() {
        List<FateEntry> batch = new ArrayList<>(batchSize);
        while (!stopping) {
            try {
                if (batch.isEmpty()) {
                    FateEntry first = queued.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    if (queued.size() < batchSize - 1) {
                        // let a batch gather: the database's cost is per commit more than per row
                        Thread.sleep(LINGER.toMillis());
                    }
                    queued.drainTo(batch, batchSize - 1);
                }
                repository.insertAll(batch);
                written.increment(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database is away: the batch is kept and tried again, the buffer takes the rest
                writeFailures.increment();
                LOG.warn("Event fate entries not written, trying again in {} s: {}", RETRY_PAUSE.toSeconds(),
                        e.getMessage());
                if (!pause()) {
                    return;
                }
            }
        }
        flush(batch);
    }

    private boolean pause() {
        try {
            Thread.sleep(RETRY_PAUSE.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** On shutdown: what is queued goes in with one try, so that the last events' stories are kept. */
    private void flush(List<FateEntry> batch) {
        queued.drainTo(batch);
        if (batch.isEmpty()) {
            return;
        }
        try {
            repository.insertAll(batch);
            written.increment(batch.size());
        } catch (RuntimeException e) {
            LOG.warn("{} event fate entries not written at shutdown: {}", batch.size(), e.getMessage());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        stopping = true;
        writer.join(SHUTDOWN_FLUSH_MILLIS);
        if (writer.isAlive()) {
            writer.interrupt();
        }
    }
}
