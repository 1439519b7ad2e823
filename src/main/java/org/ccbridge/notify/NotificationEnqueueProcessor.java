package org.ccbridge.notify;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The {@code direct:notify} endpoint's step: writes the exchange's notification request (a JSON
 * body or a map) to the outbox under its {@code Idempotency-Key} header, inside the calling
 * route's transaction when it is transacted, and sets {@code ccbridge-notification-id}. Routes
 * enqueue as API client {@value #ROUTE_CLIENT}.
 */
public class NotificationEnqueueProcessor implements Processor {

    public static final String ID_HEADER = "ccbridge-notification-id";
    public static final String KEY_HEADER = "Idempotency-Key";
    static final String ROUTE_CLIENT = "routes";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationOutbox outbox;

    public NotificationEnqueueProcessor(NotificationOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String key = exchange.getMessage().getHeader(KEY_HEADER, String.class);
        if (key == null || key.isBlank()) {
            throw new InvalidNotificationException("a route enqueues a notification with an Idempotency-Key header");
        }
        Object body = exchange.getMessage().getBody();
        NotificationRequest request = body instanceof Map<?, ?> map ? JSON.convertValue(map, NotificationRequest.class)
                : JSON.readValue(exchange.getMessage().getBody(String.class), NotificationRequest.class);
        AcceptedNotification accepted = outbox.enqueue(ROUTE_CLIENT, key, outbox.validate(request));
        exchange.getMessage().setHeader(ID_HEADER, accepted.id());
    }
}
