package org.ccbridge.notify;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.ccbridge.tracing.EventTracing;

/**
 * The steps of the {@code direct:notify} route ({@code routes/notify-enqueue.camel.yaml}, bean
 * {@value #BEAN}): read and validate the exchange's notification request (a JSON body or a map),
 * then write it to the outbox under its {@code Idempotency-Key} header, inside the calling route's
 * transaction when it is transacted. Routes enqueue as API client {@value #ROUTE_CLIENT}.
 */
public class NotificationEnqueueSteps {

    public static final String BEAN = "notificationEnqueue";
    public static final String ID_HEADER = "ccbridge-notification-id";
    public static final String KEY_HEADER = "Idempotency-Key";
    static final String ROUTE_CLIENT = "routes";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationOutbox outbox;
    private final EventTracing tracing;

    public NotificationEnqueueSteps(NotificationOutbox outbox, EventTracing tracing) {
        this.outbox = outbox;
        this.tracing = tracing;
    }

    /**
     * The request, normalized (the recipient in E.164) and checked; the body stays the caller's.
     *
     * @throws InvalidNotificationException without an Idempotency-Key or with an invalid request
     */
    public NotificationRequest read(Exchange exchange) throws Exception {
        String key = exchange.getMessage().getHeader(KEY_HEADER, String.class);
        if (key == null || key.isBlank()) {
            throw new InvalidNotificationException("a route enqueues a notification with an Idempotency-Key header");
        }
        Object body = exchange.getMessage().getBody();
        NotificationRequest request = body instanceof Map<?, ?> map ? JSON.convertValue(map, NotificationRequest.class)
                : JSON.readValue(exchange.getMessage().getBody(String.class), NotificationRequest.class);
        return outbox.validate(request);
    }

    /**
     * Writes the validated request and returns the notification's id: the same id for every retry
     * with the same key and request.
     *
     * @throws NotificationKeyReusedException when the key was used with another request
     */
    public String write(Exchange exchange, NotificationRequest valid) {
        String key = exchange.getMessage().getHeader(KEY_HEADER, String.class);
        // a route handling an event runs in the event's trace: the send to the provider continues it
        return outbox.enqueue(ROUTE_CLIENT, key, valid, tracing.currentTraceparent()).id();
    }
}
