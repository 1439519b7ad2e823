package org.ccbridge.ingress;

import java.time.Duration;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * {@code ccbridge_ingress_events_total{source,outcome}} and the ack latency timer
 * {@code ccbridge_ingress_ack_seconds{source,outcome}}.
 */
@Component
public class IngressMetrics {

    private final MeterRegistry registry;

    public IngressMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void record(String source, IngressOutcome outcome, Duration ackLatency) {
        Counter.builder("ccbridge.ingress.events")
                .description("Webhook deliveries by source and outcome")
                .tag("source", source).tag("outcome", outcome.tag())
                .register(registry).increment();
        Timer.builder("ccbridge.ingress.ack")
                .description("Time from receiving a delivery to its reply")
                .tag("source", source).tag("outcome", outcome.tag())
                .publishPercentileHistogram()
                .register(registry).record(ackLatency);
    }
}
