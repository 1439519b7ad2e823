package org.ccbridge.tracing;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * The trace of an event across the queue: the publisher writes the current trace context into the
 * message's headers (W3C {@code traceparent}), and the consumer continues that trace in a span of
 * its own. With tracing off, the propagator writes and reads nothing and no span is sampled.
 */
public class EventTracing {

    /** The W3C Trace Context header, in HTTP requests and in the events' message headers alike. */
    public static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;

    public EventTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /** No tracing: for steps run outside the application, such as a test's. */
    public static EventTracing none() {
        return new EventTracing(Tracer.NOOP, Propagator.NOOP);
    }

    /** Adds the current trace context to a message's headers, when there is a sampled one. */
    public void inject(Map<String, Object> headers) {
        Span current = tracer.currentSpan();
        if (current != null && Boolean.TRUE.equals(current.context().sampled())) {
            propagator.inject(current.context(), headers, (carrier, name, value) -> carrier.put(name, value));
        }
    }

    /** The current trace context as a W3C traceparent, to store with work done later (an outbox row); null when none is sampled. */
    public String currentTraceparent() {
        Map<String, Object> carrier = new HashMap<>(2);
        inject(carrier);
        Object traceparent = carrier.get(TRACEPARENT);
        return traceparent == null ? null : traceparent.toString();
    }

    /** The trace id of the current span when it is sampled (exported); null otherwise. */
    public String currentTraceId() {
        Span current = tracer.currentSpan();
        if (current == null) {
            return null;
        }
        TraceContext context = current.context();
        return Boolean.TRUE.equals(context.sampled()) ? context.traceId() : null;
    }

    /** A span of the consumer's, in the trace its headers name (a new trace when they name none); started. */
    public Span startConsumerSpan(String name, Function<String, String> headers) {
        return propagator.extract(headers, Function::apply).name(name).kind(Span.Kind.CONSUMER).start();
    }

    /** Makes the span current on this thread (logs carry its ids) until the scope is closed. */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }

    /**
     * Records, after the fact, a span of the trace a traceparent names: a step many events shared,
     * such as a batch's one call to the CRM, which no single event's span was current for. Nothing
     * when the traceparent names no sampled trace.
     */
    public void recordSpan(String traceparent, String name, long startMillis, long endMillis, Map<String, String> tags) {
        if (sampledTraceId(traceparent) == null) {
            return;
        }
        Span span = propagator.extract(traceparent, (carrier, key) -> TRACEPARENT.equals(key) ? carrier : null)
                .name(name).kind(Span.Kind.CLIENT).startTimestamp(startMillis, TimeUnit.MILLISECONDS).start();
        tags.forEach(span::tag);
        span.end(endMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * The trace id a W3C traceparent names, when its flags say sampled; null for none or a
     * malformed one. Lets an event's fate name its trace where no span of it is current.
     */
    public static String sampledTraceId(String traceparent) {
        if (traceparent == null || traceparent.length() != 55 || traceparent.charAt(2) != '-'
                || traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-') {
            return null;
        }
        int flags = Character.digit(traceparent.charAt(54), 16);
        return flags >= 0 && (flags & 1) == 1 ? traceparent.substring(3, 35) : null;
    }
}
