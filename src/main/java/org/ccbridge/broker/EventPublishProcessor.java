package org.ccbridge.broker;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.ingress.EventEnvelope;
import org.ccbridge.ingress.IngressExchange;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes an accepted event to {@code ccbridge.events} as a persistent, mandatory message and
 * waits for the broker's confirm, so that the 2xx goes out only for a durable event.
 *
 * <p>Confirms are asynchronous on shared channels: each request waits on its own correlation,
 * while many publishes are in flight per channel. Waiting on one confirm at a time per channel
 * would cap the ingress at a tenth of what the broker can take.
 */
@Component("eventPublishProcessor")
public class EventPublishProcessor implements Processor {

    public static final String EVENT_ID_HEADER = "ccbridge-event-id";
    public static final String SOURCE_HEADER = "ccbridge-source";
    public static final String RECORD_KEY_HEADER = "ccbridge-record-key";
    public static final String PAYLOAD_HASH_HEADER = "ccbridge-payload-hash";
    public static final String RECEIVED_AT_HEADER = "ccbridge-received-at";
    public static final String TYPE_HEADER = "ccbridge-type";
    public static final String CHANNEL_HEADER = "ccbridge-channel";
    public static final String OCCURRED_AT_HEADER = "ccbridge-occurred-at";

    private final RabbitTemplate rabbit;
    private final BrokerProperties properties;
    private final Counter publishFailures;

    public EventPublishProcessor(RabbitTemplate rabbit, BrokerProperties properties, MeterRegistry registry) {
        this.rabbit = rabbit;
        this.properties = properties;
        this.publishFailures = Counter.builder("ccbridge.broker.publish.failures")
                .description("Publishes the broker did not confirm").register(registry);
    }

    @Override
    public void process(Exchange exchange) {
        EventEnvelope envelope = IngressExchange.envelope(exchange);
        Instant receivedAt = Instant.ofEpochMilli(exchange.getClock().getCreated());
        try {
            publish(envelope, receivedAt);
        } catch (PublishFailedException e) {
            publishFailures.increment();
            throw e;
        }
    }

    void publish(EventEnvelope envelope, Instant receivedAt) {
        CorrelationData correlation = new CorrelationData(UUID.randomUUID().toString());
        try {
            rabbit.send(BrokerTopology.EVENTS_EXCHANGE, envelope.routingKey(), toMessage(envelope, receivedAt), correlation);
            CorrelationData.Confirm confirm = correlation.getFuture()
                    .get(properties.confirmTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!confirm.isAck()) {
                throw new PublishFailedException("broker refused the event: " + confirm.getReason(), null);
            }
            if (correlation.getReturned() != null) {
                throw new PublishFailedException("no queue is bound for routing key " + envelope.routingKey(), null);
            }
        } catch (AmqpException e) {
            throw new PublishFailedException("broker unreachable: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new PublishFailedException("no confirm within " + properties.confirmTimeout().toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new PublishFailedException("publish failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for the confirm", e);
        }
    }

    private static Message toMessage(EventEnvelope envelope, Instant receivedAt) {
        MessageProperties props = new MessageProperties();
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        props.setContentType("application/json");
        props.setMessageId(envelope.dedupKey());
        props.setHeader(EVENT_ID_HEADER, envelope.eventId());
        props.setHeader(SOURCE_HEADER, envelope.source());
        props.setHeader(TYPE_HEADER, envelope.type());
        props.setHeader(CHANNEL_HEADER, envelope.channel().routingWord());
        props.setHeader(PAYLOAD_HASH_HEADER, envelope.payloadHash());
        props.setHeader(RECEIVED_AT_HEADER, receivedAt.toString());
        props.setHeader(OCCURRED_AT_HEADER, envelope.occurredAt().toString());
        if (envelope.recordKey() != null) {
            props.setHeader(RECORD_KEY_HEADER, envelope.recordKey());
        }
        return new Message(envelope.body(), props);
    }
}
