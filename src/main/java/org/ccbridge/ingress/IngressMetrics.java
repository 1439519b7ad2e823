package org.ccbridge.ingress;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * {@code ccbridge_ingress_events_total{source,outcome}} and the ack latency timer
 * {@code ccbridge_ingress_ack_seconds{source,outcome}}. Meters are looked up once per tag pair:
 * this runs for every delivery. Source tags are configured names or "unknown", so the set is
 * bounded.
 */
@Component
public class IngressMetrics {

    private final MeterRegistry registry;
    private final Map<String, Meters> meters = new ConcurrentHashMap<>();

    public IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String source, IngressOutcome outcome, Duration ackLatency) {
        Meters pair = meters.computeIfAbsent(source + '\u0000' + outcome.tag(), key -> register(source, outcome));
        pair.events().increment();
        pair.ack().record(ackLatency);
    }

    private Meters register(String source, IngressOutcome outcome) {
        Counter events = Counter.builder("ccbridge.ingress.events")
                .description("Webhook deliveries by source and outcome")
                .tag("source", source).tag("outcome", outcome.tag())
                .register(registry);
        Timer ack = Timer.builder("ccbridge.ingress.ack")
                .description("Time from receiving a delivery to its reply")
                .tag("source", source).tag("outcome", outcome.tag())
                .publishPercentileHistogram()
                .register(registry);
        return new Meters(events, ack);
    }

    private record Meters(Counter events, Timer ack) {
    }
}
