package org.ccbridge.ingress;

import io.micrometer.observation.ObservationPredicate;

import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.observation.ServerRequestObservationContext;

/**
 * Replaces Camel's asynchronous Spring Boot platform-http engine; see
 * {@link SynchronousPlatformHttpEngine} for the measurement behind it.
 */
@Configuration(proxyBeanMethods = false)
class PlatformHttpConfiguration {

    @Bean(name = "platform-http-engine")
    PlatformHttpEngine synchronousPlatformHttpEngine(@Value("${server.port:8080}") int port) {
        return new SynchronousPlatformHttpEngine(port);
    }

    /**
     * Webhook deliveries are counted and timed by {@link IngressMetrics} with their outcome;
     * Spring's {@code http.server.requests} observation of the same requests cost about 3 % of the
     * ingress's CPU and says less. Every other endpoint keeps it. With tracing on, webhooks keep it
     * too: it is the server span that continues the platform's traceparent.
     */
    @Bean
    ObservationPredicate noHttpServerObservationOfWebhooks(@Value("${management.tracing.enabled:false}") boolean tracing) {
        return (name, context) -> tracing || !(context instanceof ServerRequestObservationContext server
                && server.getCarrier().getRequestURI().startsWith(WebhookBodyLimitFilter.PREFIX));
    }
}
