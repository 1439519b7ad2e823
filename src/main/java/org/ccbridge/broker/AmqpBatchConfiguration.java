package org.ccbridge.broker;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@code amqp-batch} component. Camel resolves a component by its bean name, so the
 * bean's name is the scheme routes use; it shares the application's connection factory (RabbitMQ
 * or the embedded broker alike).
 */
@Configuration(proxyBeanMethods = false)
class AmqpBatchConfiguration {

    @Bean(AmqpBatchComponent.SCHEME)
    AmqpBatchComponent amqpBatchComponent(ConnectionFactory connections) {
        return new AmqpBatchComponent(connections);
    }
}
