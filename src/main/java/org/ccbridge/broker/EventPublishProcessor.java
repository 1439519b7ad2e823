package org.ccbridge.broker;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.ccbridge.ingress.AckBudgetProperties;
import org.ccbridge.ingress.EventEnvelope;
import org.ccbridge.ingress.IngressExchange;
import org.ccbridge.tracing.EventTracing;
import org.springframework.stereotype.Component;

/**
 * Publishes an accepted event to {@code ccbridge.events} as a persistent, mandatory message and
 * waits for the broker's confirm, so that the 2xx goes out only for a durable event.
 *
 * <p>Each request waits on its own confirm while many publishes are in flight per channel
 * ({@link ConfirmingPublisher}). Waiting on one confirm at a time per channel would cap the
 * ingress at a tenth of what the broker can take.
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

    private final ConfirmingPublisher publisher;
    private final Duration ackBudget;
    private final Counter publishFailures;
    private final EventTracing tracing;

    public EventPublishProcessor(ConfirmingPublisher publisher, AckBudgetProperties budget, MeterRegistry registry,
                                 EventTracing tracing) {
        this.publisher = publisher;
        this.tracing = tracing;
        this.ackBudget = budget.ackBudget();
        this.publishFailures = Counter.builder("ccbridge.broker.publish.failures")
                .description("Publishes the broker did not confirm").register(registry);
    }

    @Override
    public void process(Exchange exchange) {
        EventEnvelope envelope = IngressExchange.envelope(exchange);
        Instant pulledAt = exchange.getProperty(IngressExchange.PULLED_AT, Instant.class);
        Instant receivedAt = pulledAt != null ? pulledAt : Instant.ofEpochMilli(exchange.getClock().getCreated());
        // a webhook's budget started when it arrived; a pulled event's when it was handed over, and
        // nobody waits for its answer but the broker's confirm
        Duration budget = pulledAt != null ? publisher.confirmTimeout() : ackBudget;
        try {
            // the dedup claim has used some of the budget
            Duration left = Duration.between(Instant.now(), receivedAt.plus(budget));
            if (left.isNegative() || left.isZero()) {
                throw new PublishFailedException("budget of " + budget.toMillis() + " ms used up before the publish",
                        null);
            }
            EventLane lane = EventLane.of(exchange);
            publish(envelope, lane, receivedAt, left, budget);
            exchange.setProperty(IngressExchange.PUBLISHED_QUEUE, lane.queue());
        } catch (PublishFailedException e) {
            publishFailures.increment();
            throw e;
        }
    }

    private void publish(EventEnvelope envelope, EventLane lane, Instant receivedAt, Duration wait, Duration budget) {
        // one wait for the channel and the confirm together: the sender gets its 503 in time
        long deadline = System.nanoTime() + wait.toNanos();
        CompletableFuture<Void> confirmed = publisher.publish(lane.exchange(), envelope.routingKey(),
                properties(envelope, receivedAt), envelope.body(), wait);
        try {
            confirmed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new PublishFailedException("no confirm within the " + budget.toMillis() + " ms budget ("
                    + wait.toMillis() + " ms were left for it)", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PublishFailedException failure) {
                throw failure;
            }
            throw new PublishFailedException("publish failed: " + e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailedException("interrupted while waiting for the confirm", e);
        }
    }

    private AMQP.BasicProperties properties(EventEnvelope envelope, Instant receivedAt) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(EVENT_ID_HEADER, envelope.eventId());
        headers.put(SOURCE_HEADER, envelope.source());
        headers.put(TYPE_HEADER, envelope.type());
        headers.put(CHANNEL_HEADER, envelope.channel().routingWord());
        headers.put(PAYLOAD_HASH_HEADER, envelope.payloadHash());
        headers.put(RECEIVED_AT_HEADER, receivedAt.toString());
        headers.put(OCCURRED_AT_HEADER, envelope.occurredAt().toString());
        if (envelope.recordKey() != null) {
            headers.put(RECORD_KEY_HEADER, envelope.recordKey());
        }
        // the delivery's trace goes on with the event: its consumer continues it (traceparent)
        tracing.inject(headers);
        return new AMQP.BasicProperties.Builder()
                .deliveryMode(2) // persistent
                .contentType("application/json")
                .messageId(envelope.dedupKey())
                .headers(headers)
                .build();
    }
}
