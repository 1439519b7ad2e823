package org.ccbridge.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.LongString;

import org.apache.camel.Exchange;
import org.apache.camel.NoTypeConversionAvailableException;
import org.apache.camel.Processor;
import org.apache.camel.Suspendable;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.DefaultMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.AcknowledgeMode;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.api.ChannelAwareBatchMessageListener;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/**
 * Consumes the endpoint's queues with a Spring AMQP {@link SimpleMessageListenerContainer} in
 * batch mode and runs each batch as ONE exchange, synchronously on the container's thread.
 *
 * <p>The exchange's body is a {@code List<org.apache.camel.Message>}, one per AMQP message: body
 * the raw {@code byte[]}, headers the message's application headers (long strings and byte arrays
 * as {@code String}) plus {@link #ROUTING_KEY_HEADER}, {@link #QUEUE_HEADER} and
 * {@link #REDELIVERED_HEADER}. A splitter on {@code ${body}} gives one exchange per message with
 * those headers.
 *
 * <p>Acknowledgement, once the exchange is done: if it failed (an exception or rollback-only) every
 * message of the batch goes back to its queue; otherwise all are acked, except those whose index
 * into the list is in the exchange property {@link #REQUEUE_PROPERTY} (a {@code Set<Integer>}),
 * which go back to the queue.
 *
 * <p>Suspending stops the container (after the batch in progress, its prefetched messages returned
 * to the queue), so that messages wait in the broker until the route is resumed.
 */
public class AmqpBatchConsumer extends DefaultConsumer implements Suspendable {

    /** Exchange property: the {@code Set<Integer>} of indexes into the batch to requeue, not ack. */
    public static final String REQUEUE_PROPERTY = "ccbridgeBatchRequeue";
    public static final String ROUTING_KEY_HEADER = "CamelAmqpBatchRoutingKey";
    public static final String QUEUE_HEADER = "CamelAmqpBatchQueue";
    public static final String REDELIVERED_HEADER = "CamelAmqpBatchRedelivered";

    private static final Logger LOG = LoggerFactory.getLogger(AmqpBatchConsumer.class);
    private static final long SHUTDOWN_TIMEOUT_MS = 30_000;

    private final AmqpBatchEndpoint endpoint;
    private volatile SimpleMessageListenerContainer container;

    AmqpBatchConsumer(AmqpBatchEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        container = createContainer();
        container.start();
    }

    @Override
    protected void doStop() throws Exception {
        SimpleMessageListenerContainer stopping = container;
        container = null;
        if (stopping != null) {
            // waits for the batch in progress (up to the container's shutdown timeout)
            stopping.destroy();
        }
        super.doStop();
    }

    @Override
    protected void doSuspend() {
        container.stop();
    }

    @Override
    protected void doResume() {
        container.start();
    }

    private SimpleMessageListenerContainer createContainer() {
        String name = AmqpBatchComponent.SCHEME + "-" + endpoint.getQueues().get(0);
        SimpleMessageListenerContainer answer = new SimpleMessageListenerContainer(
                endpoint.getComponent().getConnectionFactory());
        answer.setBeanName(name);
        answer.setTaskExecutor(new SimpleAsyncTaskExecutor(name + "-"));
        answer.setQueueNames(endpoint.getQueues().toArray(String[]::new));
        answer.setConcurrentConsumers(endpoint.getConcurrentConsumers());
        answer.setPrefetchCount(endpoint.effectivePrefetchCount());
        answer.setConsumerBatchEnabled(true);
        answer.setBatchSize(endpoint.getBatchSize());
        // hands over a partial batch once no message came for this long
        answer.setReceiveTimeout(endpoint.getReceiveTimeout());
        // the container would coerce it; a Spring AMQP producer-side batch becomes several list items
        answer.setDeBatchingEnabled(true);
        answer.setAcknowledgeMode(AcknowledgeMode.MANUAL);
        // without it a stopping (suspended) container first runs every prefetched message through
        // the route; with it they go back to the queue when the channel is closed
        answer.setForceStop(true);
        // stopping waits for the batch in progress (whose events may wait for a record lock or a
        // retry) as long as a route suspension does, rather than closing the channel under it,
        // which would redeliver the whole batch
        answer.setShutdownTimeout(SHUTDOWN_TIMEOUT_MS);
        // a queue declared later (or recreated) is picked up by the container's retries
        answer.setMissingQueuesFatal(false);
        answer.setMessageListener(new BatchListener());
        answer.afterPropertiesSet();
        return answer;
    }

    /**
     * Runs one batch through the route and acknowledges it. Never throws: in MANUAL mode the
     * container would then neither ack nor requeue, and the batch would sit unacked on the channel.
     */
    private void onBatch(List<Message> batch, Channel channel) {
        Exchange exchange = createExchange(false);
        try {
            exchange.getIn().setBody(toCamelMessages(batch, exchange));
            getProcessor().process(exchange);
            Exception failure = exchange.getException();
            if (failure != null || exchange.isRollbackOnly()) {
                requeueAll(batch, channel, failure);
            } else {
                acknowledge(batch, requeueIndexes(exchange, batch.size()), channel);
            }
        } catch (Exception e) {
            getExceptionHandler().handleException("Error processing a batch of " + batch.size() + " AMQP messages",
                    exchange, e);
            requeueAll(batch, channel, e);
        } finally {
            // the route's UnitOfWork advice created and completed the UoW; this returns the exchange
            // to the factory, which it does not do itself for one created without auto-release
            releaseExchange(exchange, false);
        }
    }

    /** The indexes the route asked to requeue; an unconvertible value throws, so the batch is requeued. */
    private Set<Integer> requeueIndexes(Exchange exchange, int size) throws NoTypeConversionAvailableException {
        Collection<?> listed = exchange.getProperty(REQUEUE_PROPERTY, Collection.class);
        if (listed == null || listed.isEmpty()) {
            return Set.of();
        }
        Set<Integer> indexes = new HashSet<>();
        for (Object index : listed) {
            indexes.add(exchange.getContext().getTypeConverter().mandatoryConvertTo(Integer.class, exchange, index));
        }
        if (indexes.stream().anyMatch(index -> index < 0 || index >= size)) {
            LOG.warn("Property {} lists indexes outside the batch of {}: {}", REQUEUE_PROPERTY, size, indexes);
        }
        return indexes;
    }

    private List<org.apache.camel.Message> toCamelMessages(List<Message> batch, Exchange exchange) {
        List<org.apache.camel.Message> answer = new ArrayList<>(batch.size());
        for (Message amqp : batch) {
            MessageProperties properties = amqp.getMessageProperties();
            DefaultMessage message = new DefaultMessage(exchange);
            message.setBody(amqp.getBody());
            properties.getHeaders().forEach((name, value) -> message.setHeader(name, headerValue(value)));
            message.setHeader(ROUTING_KEY_HEADER, properties.getReceivedRoutingKey());
            message.setHeader(QUEUE_HEADER, properties.getConsumerQueue());
            message.setHeader(REDELIVERED_HEADER, Boolean.TRUE.equals(properties.isRedelivered()));
            answer.add(message);
        }
        return answer;
    }

    /** Text as String (Camel's converters and the YAML routes expect it); numbers, booleans as they are. */
    private static Object headerValue(Object value) {
        if (value instanceof LongString longString) {
            return longString.toString();
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(AmqpBatchConsumer::headerValue).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> converted = new LinkedHashMap<>();
            map.forEach((key, item) -> converted.put(key, headerValue(item)));
            return converted;
        }
        return value;
    }

    /**
     * Acks the batch, requeueing the listed indexes. Messages de-batched from one AMQP message share
     * its delivery tag: the tag is acked once, or requeued if any of them is listed.
     */
    private void acknowledge(List<Message> batch, Set<Integer> requeue, Channel channel) {
        try {
            if (requeue.isEmpty()) {
                // MANUAL mode: this channel's unacked tags up to the last one are exactly this batch
                channel.basicAck(lastDeliveryTag(batch), true);
                return;
            }
            Map<Long, Boolean> requeueByTag = new LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                requeueByTag.merge(batch.get(i).getMessageProperties().getDeliveryTag(), requeue.contains(i),
                        Boolean::logicalOr);
            }
            for (Map.Entry<Long, Boolean> tag : requeueByTag.entrySet()) {
                if (tag.getValue()) {
                    channel.basicNack(tag.getKey(), false, true);
                } else {
                    channel.basicAck(tag.getKey(), false);
                }
            }
            LOG.debug("Acked a batch of {} messages from {}, requeued {}", batch.size(), endpoint.getQueueNames(),
                    requeue.size());
        } catch (IOException | RuntimeException e) {
            // the channel is gone: the broker redelivers whatever was not acked
            LOG.warn("Could not acknowledge a batch of {} messages from {}; the broker redelivers them: {}",
                    batch.size(), endpoint.getQueueNames(), e.toString());
        }
    }

    private void requeueAll(List<Message> batch, Channel channel, Throwable cause) {
        // no bodies or headers in the log: they hold customer data
        LOG.warn("A batch of {} messages from {} failed and goes back to the queue: {}", batch.size(),
                endpoint.getQueueNames(), cause != null ? cause.getMessage() : "rollback");
        try {
            // one nack per message, not one with multiple=true: the embedded Qpid broker (9.2) then
            // requeues only the last message and leaves the others unacked until the channel closes
            for (long tag : deliveryTags(batch)) {
                channel.basicNack(tag, false, true);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not requeue a batch of {} messages from {}; the broker redelivers them: {}",
                    batch.size(), endpoint.getQueueNames(), e.toString());
        }
    }

    private static long lastDeliveryTag(List<Message> batch) {
        return batch.stream().mapToLong(m -> m.getMessageProperties().getDeliveryTag()).max().orElseThrow();
    }

    /** Each delivery tag once (messages de-batched from one AMQP message share it). */
    private static long[] deliveryTags(List<Message> batch) {
        return batch.stream().mapToLong(m -> m.getMessageProperties().getDeliveryTag()).distinct().toArray();
    }

    /** The container's view of this consumer. */
    private final class BatchListener implements ChannelAwareBatchMessageListener {

        @Override
        public void onMessageBatch(List<Message> messages, Channel channel) {
            onBatch(messages, channel);
        }
    }
}
