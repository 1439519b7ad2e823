package org.ccbridge.broker;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Reads every queue's depth from the broker at a fixed interval (RabbitMQ's management API where
 * configured, with the rates in and out; otherwise a passive declare, which both RabbitMQ and the
 * embedded broker answer), exports it with its velocity, and moves each queue between {@link BacklogLevel}s with hysteresis, logging each change once.
 *
 * <p>While one of the state-critical lanes is at {@link BacklogLevel#SHED}, the monitor is
 * <em>shedding</em>: its listeners (the {@code shedUnderBacklog} route policy) suspend the
 * non-critical routes, and resume them once every state-critical lane is under its
 * {@code resume} threshold again. A queue over its hard limit makes the ingress answer 503 for
 * the events bound to it.
 */
public class BacklogMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(BacklogMonitor.class);

    private final QueueStatsSource source;
    private final BacklogProperties properties;
    private final List<String> queues;
    private final Set<String> stateCriticalQueues;
    private final Map<String, QueueBacklog> backlogs = new ConcurrentHashMap<>();
    private final List<Consumer<Boolean>> sheddingListeners = new CopyOnWriteArrayList<>();
    private volatile boolean shedding;

    /**
     * @param queues              the queues to read
     * @param stateCriticalQueues those whose backlog sheds the non-critical routes
     */
    public BacklogMonitor(QueueStatsSource source, BacklogProperties properties, List<String> queues,
                          Set<String> stateCriticalQueues, MeterRegistry meters) {
        this.source = source;
        this.properties = properties;
        this.queues = List.copyOf(queues);
        this.stateCriticalQueues = Set.copyOf(stateCriticalQueues);
        queues.forEach(queue -> backlogs.put(queue, new QueueBacklog(queue, properties.of(queue))));
        if (meters != null) {
            backlogs.values().forEach(backlog -> backlog.register(meters));
        }
    }

    /** Reads every queue once; the scheduler calls it every {@code ccbridge.broker.backlog.interval}. */
    @Scheduled(fixedDelayString = "${ccbridge.broker.backlog.interval:5s}")
    public synchronized void sample() {
        long now = System.nanoTime();
        for (String queue : queues) {
            Optional<QueueStats> stats;
            try {
                stats = source.read(queue);
            } catch (RuntimeException e) {
                // the broker is away: readiness says so; the last levels stand until it answers
                LOG.debug("Depth of {} not read: {}", queue, e.getMessage());
                continue;
            }
            stats.ifPresent(read -> backlogs.get(queue).read(read, now));
        }
        boolean shed = stateCriticalQueues.stream().map(backlogs::get)
                .anyMatch(backlog -> backlog != null && backlog.level() == BacklogLevel.SHED);
        if (shed != shedding) {
            shedding = shed;
            if (shed) {
                LOG.warn("Shedding: a state-critical queue is over its shed threshold; suspending the routes "
                        + "with route policy shedUnderBacklog until every one is under its resume threshold");
            } else {
                LOG.info("Shedding over: every state-critical queue is under its resume threshold; resuming the "
                        + "routes with route policy shedUnderBacklog");
            }
            sheddingListeners.forEach(listener -> listener.accept(shed));
        }
    }

    /** Whether non-critical routes are to be suspended now. */
    public boolean shedding() {
        return shedding;
    }

    /** Calls {@code listener} with true when shedding starts and false when it ends. */
    public void onShedding(Consumer<Boolean> listener) {
        sheddingListeners.add(listener);
    }

    /** Whether {@code queue} held at least its hard limit at the last reading. */
    public boolean overHardLimit(String queue) {
        QueueBacklog backlog = backlogs.get(queue);
        return backlog != null && backlog.overHardLimit();
    }

    /** The last reading of {@code queue}, when it has been read. */
    public Optional<QueueBacklog.Reading> reading(String queue) {
        return Optional.ofNullable(backlogs.get(queue)).flatMap(QueueBacklog::reading);
    }

    /** One queue's depth, velocity and level, as last read. */
    public static final class QueueBacklog {

        /**
         * @param depth    messages ready and unacknowledged
         * @param velocity change of the depth in messages per second since the reading before;
         *                 positive while the queue grows
         * @param inRate   published into the queue per second, where the broker says; else NaN
         * @param outRate  acknowledged out of it per second, where the broker says; else NaN
         * @param level    against the thresholds
         */
        public record Reading(long depth, double velocity, double inRate, double outRate, BacklogLevel level) {
        }

        private final String queue;
        private final BacklogProperties.Thresholds thresholds;
        private volatile Reading reading;
        private long readAtNanos;

        QueueBacklog(String queue, BacklogProperties.Thresholds thresholds) {
            this.queue = queue;
            this.thresholds = thresholds;
        }

        void register(MeterRegistry meters) {
            Gauge.builder("ccbridge.queue.depth", this, backlog -> backlog.reading().map(Reading::depth).orElse(-1L))
                    .description("Messages in the queue at the last reading; -1 before the first")
                    .tag("queue", queue).register(meters);
            Gauge.builder("ccbridge.queue.velocity", this, backlog -> backlog.reading().map(Reading::velocity).orElse(0.0))
                    .description("Change of the queue's depth in messages per second; positive while it grows")
                    .tag("queue", queue).register(meters);
            Gauge.builder("ccbridge.queue.rate.in", this, backlog -> backlog.reading().map(Reading::inRate).orElse(Double.NaN))
                    .description("Messages published into the queue per second, from the management API; NaN without it")
                    .tag("queue", queue).register(meters);
            Gauge.builder("ccbridge.queue.rate.out", this, backlog -> backlog.reading().map(Reading::outRate).orElse(Double.NaN))
                    .description("Messages acknowledged out of the queue per second, from the management API; NaN without it")
                    .tag("queue", queue).register(meters);
            Gauge.builder("ccbridge.queue.backlog.level", this, backlog -> backlog.level().ordinal())
                    .description("0 normal, 1 over warn (scale out), 2 over shed (non-critical routes suspended)")
                    .tag("queue", queue).register(meters);
        }

        void read(QueueStats stats, long nowNanos) {
            long depth = stats.depth();
            Reading before = reading;
            double velocity = before == null ? 0.0 : (depth - before.depth()) * 1e9 / Math.max(1, nowNanos - readAtNanos);
            BacklogLevel was = before == null ? BacklogLevel.NORMAL : before.level();
            BacklogLevel level = was.next(depth, thresholds);
            boolean wasFull = overHardLimit();
            reading = new Reading(depth, velocity, stats.inRate() == null ? Double.NaN : stats.inRate(),
                    stats.outRate() == null ? Double.NaN : stats.outRate(), level);
            readAtNanos = nowNanos;
            if (overHardLimit() != wasFull) {
                if (wasFull) {
                    LOG.info("Queue {} under its hard limit of {} again: the ingress accepts its events", queue,
                            thresholds.hardLimit());
                } else {
                    LOG.warn("Queue {} at its hard limit of {} messages: the ingress answers 503 for its events", queue,
                            thresholds.hardLimit());
                }
            }
            if (level != was) {
                logChange(was, level, depth, velocity);
            }
        }

        private void logChange(BacklogLevel was, BacklogLevel level, long depth, double velocity) {
            if (level.ordinal() > was.ordinal()) {
                LOG.warn("Queue {} backlog {}: {} messages (warn at {}, shed at {}), changing by {}/s", queue, level,
                        depth, thresholds.warn(), thresholds.shed(), Math.round(velocity));
            } else {
                LOG.info("Queue {} backlog {} again: {} messages, under the resume threshold of {}", queue, level,
                        depth, thresholds.resume());
            }
        }

        BacklogLevel level() {
            Reading last = reading;
            return last == null ? BacklogLevel.NORMAL : last.level();
        }

        boolean overHardLimit() {
            Reading last = reading;
            return thresholds.hardLimit() > 0 && last != null && last.depth() >= thresholds.hardLimit();
        }

        Optional<Reading> reading() {
            return Optional.ofNullable(reading);
        }
    }
}
