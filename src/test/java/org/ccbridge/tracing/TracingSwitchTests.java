package org.ccbridge.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.mock.env.MockEnvironment;

/** One property turns tracing on; without it tracing is off; explicit settings win either way. */
class TracingSwitchTests {

    @Test
    void withoutAnOtlpEndpointTracingIsOffAndNothingIsSampled() {
        MockEnvironment environment = switched(Map.of());

        assertThat(environment.getProperty(TracingSwitch.ENABLED)).isEqualTo("false");
        assertThat(environment.getProperty(TracingSwitch.PROBABILITY)).isEqualTo("0.0");
        assertThat(environment.getProperty(TracingSwitch.EXCLUDE)).isEqualTo(TracingSwitch.TRACING_AUTO_CONFIGURATIONS);
    }

    @Test
    void anEndpointSetEvenAfterThePostProcessorRanTurnsTracingOnWithEveryTraceSampled() {
        MockEnvironment environment = switched(Map.of());
        environment.getPropertySources().addFirst(new MapPropertySource("late",
                Map.of(TracingSwitch.ENDPOINT, "http://collector:4318/v1/traces")));

        assertThat(environment.getProperty(TracingSwitch.ENABLED)).isEqualTo("true");
        assertThat(environment.getProperty(TracingSwitch.PROBABILITY)).isEqualTo("1.0");
        assertThat(environment.getProperty(TracingSwitch.EXCLUDE)).isNull();
    }

    @Test
    void tracingEnabledWithoutAnEndpointStaysConfigured() {
        MockEnvironment environment = switched(Map.of(TracingSwitch.ENABLED, "true"));

        assertThat(environment.getProperty(TracingSwitch.ENABLED)).isEqualTo("true");
        assertThat(environment.getProperty(TracingSwitch.EXCLUDE)).isNull();
    }

    @Test
    void explicitSettingsWin() {
        MockEnvironment environment = switched(Map.of(TracingSwitch.ENDPOINT, "http://collector:4318/v1/traces",
                TracingSwitch.PROBABILITY, "0.05"));

        assertThat(environment.getProperty(TracingSwitch.PROBABILITY)).isEqualTo("0.05");
        assertThat(environment.getProperty(TracingSwitch.ENABLED)).isEqualTo("true");
    }

    @Test
    void aTraceparentNamesItsTraceOnlyWhenWellFormedAndSampled() {
        assertThat(EventTracing.sampledTraceId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .isEqualTo("0af7651916cd43dd8448eb211c80319c");
        assertThat(EventTracing.sampledTraceId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00")).isNull();
        assertThat(EventTracing.sampledTraceId("00-0af7651916cd43dd8448eb211c80319c-b7ad6b71692033-01")).isNull();
        assertThat(EventTracing.sampledTraceId("garbage")).isNull();
        assertThat(EventTracing.sampledTraceId(null)).isNull();
    }

    private static MockEnvironment switched(Map<String, Object> properties) {
        MockEnvironment environment = new MockEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("given", properties));
        new TracingSwitch().postProcessEnvironment(environment, null);
        return environment;
    }
}
