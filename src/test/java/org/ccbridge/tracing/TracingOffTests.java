package org.ccbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import org.ccbridge.support.EmbeddedModeTestSupport;

/**
 * The service as it runs without an OTLP endpoint: no tracer, no observation handler that would
 * open an unsampled span around every request, and observations still timed as metrics.
 */
class TracingOffTests extends EmbeddedModeTestSupport {

    @Autowired
    ApplicationContext context;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ObservationRegistry observations;

    @Test
    void withoutAnEndpointNoSpanIsOpenedForAnyObservation() {
        assertThat(context.getBeansOfType(TracingObservationHandler.class)).isEmpty();
        assertThat(context.getBeansOfType(Tracer.class)).isEmpty();
        assertThat(context.getBean(EventTracing.class).currentTraceparent()).isNull();
    }

    @Test
    void requestsAndOtherObservationsAreStillTimed() {
        long before = timedRequests();

        assertThat(client.get("/v3/api-docs").statusCode()).isEqualTo(401);
        assertThat(client.get("/v3/api-docs").statusCode()).isEqualTo(401);

        // the observation is stopped after the answer is written: wait for it
        for (int i = 0; i < 50 && timedRequests() < before + 2; i++) {
            sleep();
        }
        assertThat(timedRequests()).isGreaterThanOrEqualTo(before + 2);
        io.micrometer.observation.Observation.createNotStarted("ccbridge.test.observation", observations)
                .observe(() -> { });
        assertThat(meters.find("ccbridge.test.observation").timer()).isNotNull()
                .extracting(Timer::count).isEqualTo(1L);
    }

    private long timedRequests() {
        return meters.find("http.server.requests").timers().stream().mapToLong(Timer::count).sum();
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
