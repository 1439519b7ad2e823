package org.ccbridge.broker;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * The {@code amqp-batch} component: consumes RabbitMQ queues so that one Camel exchange carries up
 * to {@code batchSize} messages, which camel-spring-rabbitmq cannot (one message per exchange).
 * Consumer only. URI: {@code amqp-batch:<queue>[,<queue>...]?batchSize=&concurrentConsumers=
 * &receiveTimeout=&prefetchCount=}; see {@link AmqpBatchEndpoint} for the options and
 * {@link AmqpBatchConsumer} for what an exchange carries and how it is acknowledged.
 */
public class AmqpBatchComponent extends DefaultComponent {

    /** The scheme, and the registry name routes resolve the component by. */
    public static final String SCHEME = "amqp-batch";

    private final ConnectionFactory connectionFactory;

    public AmqpBatchComponent(ConnectionFactory connectionFactory) {
        this.connectionFactory = Objects.requireNonNull(connectionFactory, "connectionFactory");
    }

    public ConnectionFactory getConnectionFactory() {
        return connectionFactory;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        List<String> queues = Arrays.stream(remaining.split(",")).map(String::trim).filter(q -> !q.isEmpty())
                .toList();
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("No queue in " + uri + ": use " + SCHEME + ":<queue>[,<queue>...]");
        }
        AmqpBatchEndpoint endpoint = new AmqpBatchEndpoint(uri, this, queues);
        // binds the known options and removes them; DefaultComponent then rejects what is left
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
