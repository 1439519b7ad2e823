package org.ccbridge.notify;

import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.apache.camel.CamelContext;
import org.ccbridge.routes.TemplatedRoutes;

/**
 * The routes {@code notify-provider-<name>}: one per provider, from the template
 * {@code notify-provider} ({@code routes/notify-provider.camel.yaml}), each with its provider's
 * circuit breaker bound under the name the template's {@code circuitBreaker} step looks up.
 */
public final class NotificationProviderRoutes {

    public static final String TEMPLATE = "notify-provider";

    private NotificationProviderRoutes() {
    }

    public static String routeId(HttpNotificationProvider provider) {
        return TEMPLATE + "-" + provider.name();
    }

    public static void create(CamelContext camel, TemplatedRoutes templatedRoutes,
                              List<HttpNotificationProvider> providers) {
        for (HttpNotificationProvider provider : providers) {
            camel.getRegistry().bind(provider.circuitBreakerBean(), CircuitBreaker.class, provider.circuitBreaker());
            try {
                templatedRoutes.add(TEMPLATE, routeId(provider), Map.of("provider", provider.name()));
            } catch (Exception e) {
                throw new IllegalStateException("cannot create route " + routeId(provider) + " from the route template "
                        + TEMPLATE + " (routes/notify-provider.camel.yaml): " + e.getMessage(), e);
            }
        }
    }
}
