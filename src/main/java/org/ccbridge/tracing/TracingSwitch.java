package org.ccbridge.tracing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.util.StringUtils;

/**
 * One property turns tracing on: {@code management.otlp.tracing.endpoint}. With it, tracing is
 * enabled and every trace is sampled (unless the caller's traceparent says it is not); without
 * it, tracing is off, no traceparent is read or written, and no span is recorded: the tracer and
 * Micrometer's tracing observation handlers are not configured at all, since Spring Boot would
 * otherwise run them around every request, unsampled (3 % of the service's CPU on
 * {@code POST /notifications} in a profile). Explicit
 * {@code management.tracing.enabled} and {@code management.tracing.sampling.probability} settings
 * still win: these are defaults of the lowest precedence, worked out when asked, so that an
 * endpoint set after this post-processor ran (a test's dynamic properties) counts too.
 */
public class TracingSwitch implements EnvironmentPostProcessor {

    static final String ENDPOINT = "management.otlp.tracing.endpoint";
    static final String ENABLED = "management.tracing.enabled";
    static final String PROBABILITY = "management.tracing.sampling.probability";
    static final String EXCLUDE = "spring.autoconfigure.exclude";
    /**
     * What configures a tracer and the handlers that open a span for each observation. The no-op
     * tracer goes too: with any tracer bean, Spring Boot times observations with a handler that
     * needs the tracing handlers' context, and every observation would fail.
     */
    static final String TRACING_AUTO_CONFIGURATIONS = String.join(",",
            "org.springframework.boot.actuate.autoconfigure.tracing.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.MicrometerTracingAutoConfiguration",
            "org.springframework.boot.actuate.autoconfigure.tracing.NoopTracerAutoConfiguration");

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new Defaults(environment));
    }

    /** Its source is not the environment itself, which Spring Boot would flatten into its own sources, without end. */
    private static final class Defaults extends PropertySource<Object> {

        private final Environment environment;

        Defaults(Environment environment) {
            super("ccbridge-tracing-defaults", new Object());
            this.environment = environment;
        }

        @Override
        public Object getProperty(String name) {
            if (ENABLED.equals(name)) {
                return Boolean.toString(exporting());
            }
            if (PROBABILITY.equals(name)) {
                return exporting() ? "1.0" : "0.0";
            }
            if (EXCLUDE.equals(name) && !exporting() && !explicitlyEnabled()) {
                // a spring.autoconfigure.exclude of the application's own replaces this one:
                // tracing then stays configured, unsampled, as Spring Boot has it
                return TRACING_AUTO_CONFIGURATIONS;
            }
            return null;
        }

        private boolean exporting() {
            return StringUtils.hasText(environment.getProperty(ENDPOINT));
        }

        /** Tracing asked for without an endpoint (to propagate traceparent headers, say): it stays configured. */
        private boolean explicitlyEnabled() {
            return "true".equalsIgnoreCase(environment.getProperty(ENABLED));
        }
    }
}
