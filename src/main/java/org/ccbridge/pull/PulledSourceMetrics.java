package org.ccbridge.pull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Per pulled source: {@code ccbridge_pull_connected} (1 while this instance pulls it and its last
 * call to the platform succeeded), {@code ccbridge_pull_reconnects_total} (a poll that succeeded
 * after failures, a channel opened after a drop, a failure or a silent socket; not a planned renewal), {@code ccbridge_pull_lag_seconds} (how far behind now
 * the point is up to which everything the platform sent is durable) and
 * {@code ccbridge_pull_unusable_total} (items the platform sent that make no event). Accepted and
 * duplicate events are counted where webhooks are, in {@code ccbridge_ingress_events_total}.
 */
public class PulledSourceMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final Predicate<String> leading;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    /** @param leading whether this instance holds a source's lease now */
    public PulledSourceMetrics(MeterRegistry registry, Clock clock, Predicate<String> leading) {
        this.registry = registry;
        this.clock = clock;
        this.leading = leading;
    }

    /** Shows the source's meters from the start, at 0 on the instances that stand by. */
    public void show(String source) {
        of(source);
    }

    /** The call to the platform succeeded, or a channel opened; after a failure or a drop, that counts as a reconnect. */
    public void connected(String source) {
        Source meters = of(source);
        if (meters.connected.getAndSet(1) == 0 && meters.everConnected) {
            meters.reconnects.increment();
        }
        meters.everConnected = true;
    }

    /** The call to the platform failed, or this instance no longer pulls the source. */
    public void disconnected(String source) {
        of(source).connected.set(0);
    }

    /** Everything the platform sent up to {@code upTo} is durable. */
    public void durableUpTo(String source, Instant upTo) {
        of(source).durableUpTo.set(upTo);
    }

    public void unusable(String source) {
        of(source).unusable.increment();
    }

    /** Lag in seconds; 0 until the source has made something durable, and on an instance that does not pull it. */
    double lagSeconds(String source) {
        Instant upTo = of(source).durableUpTo.get();
        return upTo == null || !leading.test(source) ? 0
                : Math.max(0, Duration.between(upTo, clock.instant()).toMillis() / 1000.0);
    }

    private Source of(String source) {
        return sources.computeIfAbsent(source, this::meters);
    }

    private Source meters(String source) {
        Source meters = new Source(
                Counter.builder("ccbridge.pull.reconnects").tag("source", source)
                        .description("Polls that succeeded after failures; channels opened after a drop, a failure "
                                + "or a silent socket").register(registry),
                Counter.builder("ccbridge.pull.unusable").tag("source", source)
                        .description("Items the platform sent that make no event (no id or no time), logged")
                        .register(registry));
        Gauge.builder("ccbridge.pull.connected", () -> leading.test(source) ? meters.connected.get() : 0)
                .tag("source", source)
                .description("1 while this instance pulls the source and its last call succeeded").register(registry);
        Gauge.builder("ccbridge.pull.lag", () -> lagSeconds(source)).tag("source", source).baseUnit("seconds")
                .description("How far behind now everything the platform sent is durable").register(registry);
        return meters;
    }

    private static final class Source {
        final AtomicInteger connected = new AtomicInteger();
        final AtomicReference<Instant> durableUpTo = new AtomicReference<>();
        final Counter reconnects;
        final Counter unusable;
        volatile boolean everConnected;

        Source(Counter reconnects, Counter unusable) {
            this.reconnects = reconnects;
            this.unusable = unusable;
        }
    }
}
