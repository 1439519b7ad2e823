package org.ccbridge.broker;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.ccbridge.fate.EventFate;
import org.ccbridge.fate.FateStage;
import org.ccbridge.tracing.EventTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The dead-letter channel of the worker routes: publishes the failed message, body and headers
 * unchanged, to {@code ccbridge.dlq} with the error, the attempts, when it was first seen and the
 * routing key to replay it with; waits for the broker's confirm, and only then lets the route ack
 * the original. If the DLQ publish fails, the exception stays and the original is requeued.
 */
@Component("deadLetterProcessor")
public class DeadLetterProcessor implements Processor {

    public static final String ERROR_HEADER = "ccbridge-error";
    public static final String ATTEMPTS_HEADER = "ccbridge-attempts";
    public static final String FIRST_SEEN_HEADER = "ccbridge-first-seen";
    public static final String DEAD_LETTERED_AT_HEADER = "ccbridge-dead-lettered-at";
    public static final String ROUTE_HEADER = "ccbridge-route";
    public static final String ROUTING_KEY_HEADER = "ccbridge-routing-key";

    /** Set by a step that knows how many attempts it made; 1 otherwise. */
    public static final String ATTEMPTS_PROPERTY = "ccbridge.attempts";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessor.class);
    private static final int MAX_ERROR_LENGTH = 1000;

    private final ConfirmingPublisher publisher;
    private final BrokerProperties properties;
    private final MeterRegistry registry;
    private final EventFate fate;

    public DeadLetterProcessor(ConfirmingPublisher publisher, BrokerProperties properties, MeterRegistry registry,
                               EventFate fate) {
        this.publisher = publisher;
        this.properties = properties;
        this.registry = registry;
        this.fate = fate;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Message message = exchange.getMessage();
        String error = describe(failure);
        Integer attempts = exchange.getProperty(ATTEMPTS_PROPERTY, Integer.class);
        String routeId = exchange.getFromRouteId();

        Map<String, Object> headers = new HashMap<>();
        message.getHeaders().forEach((name, value) -> {
            // the event's own headers, and its trace: a replay continues the trace it was received in
            if ((name.startsWith("ccbridge-") || name.equals(EventTracing.TRACEPARENT)) && value != null) {
                headers.put(name, value.toString());
            }
        });
        headers.put(ERROR_HEADER, error);
        headers.put(ATTEMPTS_HEADER, attempts == null ? 1 : attempts);
        headers.putIfAbsent(FIRST_SEEN_HEADER, headers.getOrDefault(EventPublishProcessor.RECEIVED_AT_HEADER,
                Instant.ofEpochMilli(exchange.getClock().getCreated()).toString()));
        headers.put(DEAD_LETTERED_AT_HEADER, Instant.now().toString());
        headers.put(ROUTE_HEADER, routeId);
        headers.putIfAbsent(ROUTING_KEY_HEADER, routingKey(message));
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId(message.getHeader(EventPublishProcessor.SOURCE_HEADER, "", String.class) + ":"
                        + message.getHeader(EventPublishProcessor.EVENT_ID_HEADER, "", String.class))
                .headers(headers)
                .build();
        publisher.publish("", BrokerTopology.DEAD_LETTER_QUEUE, props, message.getBody(byte[].class),
                properties.confirmTimeout()).get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
        registry.counter("ccbridge.dlq.messages", "route", String.valueOf(routeId)).increment();
        // the event's own trace: a batch's dead letter has no span of it current
        String traceId = EventTracing.sampledTraceId((String) headers.get(EventTracing.TRACEPARENT));
        fate.recordInTrace(traceId, (String) headers.get(EventPublishProcessor.SOURCE_HEADER),
                (String) headers.get(EventPublishProcessor.EVENT_ID_HEADER), FateStage.DEAD_LETTERED,
                (String) headers.get(EventPublishProcessor.RECORD_KEY_HEADER), Map.of("error", error,
                        "attempts", headers.get(ATTEMPTS_HEADER), "route", String.valueOf(routeId),
                        "routingKey", headers.get(ROUTING_KEY_HEADER)));
        LOG.warn("Dead-lettered event {} from {} (route {}, attempts {}{}): {}",
                headers.get(EventPublishProcessor.EVENT_ID_HEADER), headers.get(EventPublishProcessor.SOURCE_HEADER),
                routeId, headers.get(ATTEMPTS_HEADER), traceId == null ? "" : ", trace " + traceId, error);
    }

    private static String routingKey(Message message) {
        return message.getHeader(EventPublishProcessor.SOURCE_HEADER, String.class) + "."
                + message.getHeader(EventPublishProcessor.CHANNEL_HEADER, String.class) + "."
                + message.getHeader(EventPublishProcessor.TYPE_HEADER, String.class);
    }

    private static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown";
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH);
    }
}
