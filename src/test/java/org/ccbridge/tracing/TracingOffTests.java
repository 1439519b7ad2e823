package org.ccbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import org.ccbridge.support.EmbeddedModeTestSupport;

/**
 * The service as it runs without an OTLP endpoint: no tracer but the no-op one, and no
 * observation handler that would open an unsampled span around every request.
 */
class TracingOffTests extends EmbeddedModeTestSupport {

    @Autowired
    ApplicationContext context;

    @Test
    void withoutAnEndpointNoSpanIsOpenedForAnyObservation() {
        assertThat(context.getBeansOfType(TracingObservationHandler.class)).isEmpty();
        assertThat(context.getBeansOfType(Tracer.class).values()).allMatch(tracer -> tracer == Tracer.NOOP
                || tracer.getClass().getName().contains("Noop"));
        assertThat(context.getBean(EventTracing.class).currentTraceparent()).isNull();
    }
}
