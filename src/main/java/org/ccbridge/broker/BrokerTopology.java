package org.ccbridge.broker;

import java.util.List;
import java.util.Map;

import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one topology, declared on every connect by Spring's RabbitAdmin. Dead-lettering is done by
 * routes, not by broker arguments, so the embedded broker (which rejects x-arguments) and
 * RabbitMQ behave the same.
 */
@Configuration(proxyBeanMethods = false)
public class BrokerTopology {

    public static final String EVENTS_EXCHANGE = "ccbridge.events";
    public static final String VOICE_QUEUE = "ccbridge.voice.interactions";
    public static final String DIGITAL_QUEUE = "ccbridge.digital.interactions";
    /** Changes made in the CRM, for the sync lane that writes to the contact center. */
    public static final String CRM_QUEUE = "ccbridge.crm.inbound";
    public static final String DEAD_LETTER_QUEUE = "ccbridge.dlq";

    /** Every queue an operator watches, in display order. */
    public static final List<String> QUEUES = List.of(VOICE_QUEUE, DIGITAL_QUEUE, CRM_QUEUE, DEAD_LETTER_QUEUE);

    @Bean
    Declarables ccbridgeTopology(BrokerProperties properties) {
        TopicExchange events = new TopicExchange(EVENTS_EXCHANGE, true, false);
        Queue voice = queue(VOICE_QUEUE, properties);
        Queue digital = queue(DIGITAL_QUEUE, properties);
        Queue crm = queue(CRM_QUEUE, properties);
        Queue deadLetters = queue(DEAD_LETTER_QUEUE, properties);
        // routing keys are {source}.{channel}.{type}; the type may contain dots
        Binding voiceBinding = BindingBuilder.bind(voice).to(events).with("*.voice.#");
        Binding digitalBinding = BindingBuilder.bind(digital).to(events).with("*.digital.#");
        Binding crmBinding = BindingBuilder.bind(crm).to(events).with("*.crm.#");
        return new Declarables(events, voice, digital, crm, deadLetters, voiceBinding, digitalBinding, crmBinding);
    }

    private static Queue queue(String name, BrokerProperties properties) {
        QueueBuilder builder = QueueBuilder.durable(name);
        if (properties.quorum()) {
            builder.withArguments(Map.of("x-queue-type", "quorum"));
        }
        return builder.build();
    }
}
