package org.ccbridge.broker;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class PublisherConfiguration {

    @Bean(destroyMethod = "close")
    ConfirmingPublisher confirmingPublisher(ConnectionFactory connections, BrokerProperties properties) {
        return new ConfirmingPublisher(connections, properties.publishChannels(), properties.confirmTimeout());
    }
}
