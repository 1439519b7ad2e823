package org.ccbridge.notify;

import java.util.Map;

import org.apache.camel.impl.DefaultCamelContext;
import org.ccbridge.routes.TemplatedRoutes;
import org.ccbridge.support.ProjectRoutes;
import org.ccbridge.tracing.EventTraceRoutePolicy;
import org.ccbridge.tracing.EventTracing;

/**
 * The routes a relay sends through, as shipped ({@code notify-send} and one
 * {@code notify-provider-<name>} per provider), in a Camel context of their own: each relay under
 * test has its own providers, whose circuit breakers the provider routes are built with.
 */
final class SendRoutes implements AutoCloseable {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final OutboxRelay.AttemptSender sender;

    SendRoutes(Map<String, ChannelRoute> channels) {
        try {
            camel.getRegistry().bind(NotificationSendSteps.BEAN, new NotificationSendSteps());
            camel.getRegistry().bind("eventTrace", new EventTraceRoutePolicy(EventTracing.none()));
            ProjectRoutes.load(camel, "notify-errors.camel.yaml", "notify-send.camel.yaml", "notify-provider.camel.yaml");
            camel.start();
            NotificationProviderRoutes.create(camel, new TemplatedRoutes(camel), NotifyConfiguration.providersOf(channels));
        } catch (Exception e) {
            camel.stop();
            throw new IllegalStateException("the notification routes did not start", e);
        }
        sender = new RouteAttemptSender(camel.createProducerTemplate());
    }

    OutboxRelay.AttemptSender sender() {
        return sender;
    }

    DefaultCamelContext camel() {
        return camel;
    }

    @Override
    public void close() {
        camel.stop();
    }
}
