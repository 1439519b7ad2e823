package org.ccbridge.broker;

import org.springframework.boot.autoconfigure.AbstractDependsOnBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.amqp.RabbitProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Starts the in-process broker of the zero-install default before anything connects to it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "ccbridge.broker.embedded.enabled", havingValue = "true")
class EmbeddedBrokerConfiguration {

    static final String BEAN_NAME = "embeddedAmqpBroker";

    @Bean(name = BEAN_NAME, initMethod = "start", destroyMethod = "close")
    EmbeddedAmqpBroker embeddedAmqpBroker(BrokerProperties properties, RabbitProperties rabbit) {
        return new EmbeddedAmqpBroker(properties.embedded().port(), properties.embedded().workDir(),
                rabbit.getUsername(), rabbit.getPassword());
    }

    @Bean
    static DerbyLoginTimeoutReset derbyLoginTimeoutReset() {
        return new DerbyLoginTimeoutReset();
    }

    /** The connection factory must not be created, and so not connect, before the broker runs. */
    @Bean
    static AbstractDependsOnBeanFactoryPostProcessor connectionFactoryDependsOnEmbeddedBroker() {
        return new AbstractDependsOnBeanFactoryPostProcessor(ConnectionFactory.class, BEAN_NAME) {
        };
    }
}
