package org.ccbridge.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The event's trace across the queue, and the route policy that continues it in the consumers. */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

    @Bean
    EventTracing eventTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new EventTracing(tracer.getIfAvailable(() -> Tracer.NOOP),
                propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    /** {@code routePolicy: eventTrace} in a route file. */
    @Bean
    EventTraceRoutePolicy eventTrace(EventTracing tracing) {
        return new EventTraceRoutePolicy(tracing);
    }
}
