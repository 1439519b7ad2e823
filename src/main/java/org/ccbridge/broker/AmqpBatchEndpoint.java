package org.ccbridge.broker;

import java.util.List;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * An {@code amqp-batch:<queue>[,<queue>...]} endpoint: the queues to consume and how to batch them.
 * Consumer only: events are published with {@link ConfirmingPublisher} or spring-rabbitmq.
 * The annotations document the options; no configurer is generated, so they are bound by reflection.
 */
@UriEndpoint(firstVersion = "4.17.0", scheme = AmqpBatchComponent.SCHEME, title = "AMQP batch consumer",
        syntax = "amqp-batch:queues", consumerOnly = true, remote = true, category = Category.MESSAGING)
public class AmqpBatchEndpoint extends DefaultEndpoint {

    static final int MIN_DEFAULT_PREFETCH = 250;

    @UriPath(description = "The queues to consume, separated by commas; they are not declared here")
    @Metadata(required = true)
    private final String queueNames;
    private final List<String> queues;

    @UriParam(defaultValue = "1", description = "Consumers (each with its own channel and thread)")
    private int concurrentConsumers = 1;

    @UriParam(defaultValue = "100", description = "The most messages one exchange carries")
    private int batchSize = 100;

    @UriParam(defaultValue = "10", description = "Milliseconds without a new message after which a partial batch is"
            + " processed")
    private long receiveTimeout = 10;

    @UriParam(defaultValueNote = "max(250, 2 * batchSize)", description = "Unacknowledged messages the broker sends"
            + " each consumer ahead; at least batchSize")
    private Integer prefetchCount;

    AmqpBatchEndpoint(String uri, AmqpBatchComponent component, List<String> queues) {
        super(uri, component);
        this.queues = List.copyOf(queues);
        this.queueNames = String.join(",", queues);
    }

    @Override
    public AmqpBatchComponent getComponent() {
        return (AmqpBatchComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(AmqpBatchComponent.SCHEME + " only consumes: publish with "
                + "ConfirmingPublisher or spring-rabbitmq");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        AmqpBatchConsumer consumer = new AmqpBatchConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Fails the route start on a value the container would reject or misbehave with. */
    void validate() {
        require(concurrentConsumers >= 1, "concurrentConsumers", concurrentConsumers);
        require(batchSize >= 1, "batchSize", batchSize);
        // 0 would make an idle consumer spin
        require(receiveTimeout >= 1, "receiveTimeout", receiveTimeout);
        require(prefetchCount == null || prefetchCount >= 1, "prefetchCount", prefetchCount);
    }

    private static void require(boolean valid, String option, Object value) {
        if (!valid) {
            throw new IllegalArgumentException("Option " + option + " of " + AmqpBatchComponent.SCHEME
                    + " must be positive, not " + value);
        }
    }

    public List<String> getQueues() {
        return queues;
    }

    public String getQueueNames() {
        return queueNames;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public long getReceiveTimeout() {
        return receiveTimeout;
    }

    public void setReceiveTimeout(long receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }

    public Integer getPrefetchCount() {
        return prefetchCount;
    }

    public void setPrefetchCount(Integer prefetchCount) {
        this.prefetchCount = prefetchCount;
    }

    /**
     * The prefetch the container is given: by default two batches, so that the next one is already
     * on its way while one is processed, and not less than a small batch needs to fill up quickly.
     */
    public int effectivePrefetchCount() {
        return prefetchCount != null ? prefetchCount : Math.max(MIN_DEFAULT_PREFETCH, 2 * batchSize);
    }
}
