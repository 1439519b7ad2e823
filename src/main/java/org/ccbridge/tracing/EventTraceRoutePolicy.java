package org.ccbridge.tracing;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.support.RoutePolicySupport;

/**
 * Route policy {@code eventTrace}: each exchange the route takes runs in a span of its own, in the
 * trace of the event's {@code traceparent} header, current on the route's thread, so that its log
 * lines and the calls it makes carry the event's trace. Given to the lanes' routes that take one
 * event at a time with their own error handling (record-sync-crm, record-sync-non-critical,
 * record-sync-contact-center-event and -one), so that a dead-lettering is logged in the trace too,
 * and to notify-send, whose provider call continues the trace the notification was asked for in.
 * A batch's combined write runs in no event's span: {@code BatchWriteStage} records it in each
 * event's trace afterwards.
 */
public class EventTraceRoutePolicy extends RoutePolicySupport {

    private static final String SPAN = "ccbridgeTraceSpan";
    private static final String SCOPE = "ccbridgeTraceScope";

    private final EventTracing tracing;

    public EventTraceRoutePolicy(EventTracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public void onExchangeBegin(Route route, Exchange exchange) {
        Span span = tracing.startConsumerSpan("ccbridge " + route.getRouteId(),
                name -> exchange.getMessage().getHeader(name, String.class));
        String eventId = exchange.getMessage().getHeader("ccbridge-event-id", String.class);
        if (eventId != null) {
            span.tag("ccbridge.event_id", eventId);
            span.tag("ccbridge.source", String.valueOf(exchange.getMessage().getHeader("ccbridge-source")));
        }
        exchange.setProperty(SPAN, span);
        exchange.setProperty(SCOPE, tracing.inScope(span));
    }

    @Override
    public void onExchangeDone(Route route, Exchange exchange) {
        Tracer.SpanInScope scope = exchange.getProperty(SCOPE, Tracer.SpanInScope.class);
        Span span = exchange.getProperty(SPAN, Span.class);
        exchange.removeProperty(SCOPE);
        exchange.removeProperty(SPAN);
        if (scope != null) {
            scope.close();
        }
        if (span != null) {
            String status = exchange.getMessage().getHeader("ccbridge-sync-status", String.class);
            if (status != null) {
                span.tag("ccbridge.sync_status", status);
            }
            if (exchange.getException() != null) {
                span.error(exchange.getException());
            }
            span.end();
        }
    }
}
