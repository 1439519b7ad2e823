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
    /**
     * Events their source classifies as not state-critical ({@code non-critical-types}): an
     * exchange and a queue of their own, so that a backlog of them never delays a critical event,
     * and their route can be shed under load.
     */
    public static final String NON_CRITICAL_EXCHANGE = "ccbridge.events.non-critical";
    public static final String NON_CRITICAL_QUEUE = "ccbridge.non-critical";

    /** The lanes of state-critical events: their backlog sheds the non-critical routes. */
    public static final List<String> STATE_CRITICAL_QUEUES = List.of(VOICE_QUEUE, DIGITAL_QUEUE, CRM_QUEUE);

    /** Every queue an operator watches, in display order. */
    public static final List<String> QUEUES = List.of(VOICE_QUEUE, DIGITAL_QUEUE, CRM_QUEUE, NON_CRITICAL_QUEUE,
            DEAD_LETTER_QUEUE);

    /** The queue an event of channel {@code channelWord} lands in. */
    /** Where an event is published: the channel exchange when it is state-critical, the non-critical one otherwise. */
    public static String exchangeFor(boolean critical) {
        return critical ? EVENTS_EXCHANGE : NON_CRITICAL_EXCHANGE;
    }

    public static String queueFor(String channelWord, boolean critical) {
        if (!critical) {
            return NON_CRITICAL_QUEUE;
        }
        return switch (channelWord) {
            case "voice" -> VOICE_QUEUE;
            case "digital" -> DIGITAL_QUEUE;
            case "crm" -> CRM_QUEUE;
            default -> throw new IllegalArgumentException("no lane for channel " + channelWord);
        };
    }

    @Bean
    Declarables ccbridgeTopology(BrokerProperties properties) {
        TopicExchange events = new TopicExchange(EVENTS_EXCHANGE, true, false);
        Queue voice = queue(VOICE_QUEUE, properties);
        Queue digital = queue(DIGITAL_QUEUE, properties);
        Queue crm = queue(CRM_QUEUE, properties);
        Queue deadLetters = queue(DEAD_LETTER_QUEUE, properties);
        TopicExchange nonCriticalEvents = new TopicExchange(NON_CRITICAL_EXCHANGE, true, false);
        Queue nonCritical = queue(NON_CRITICAL_QUEUE, properties);
        // routing keys are {source}.{channel}.{type}; the type may contain dots
        Binding voiceBinding = BindingBuilder.bind(voice).to(events).with("*.voice.#");
        Binding digitalBinding = BindingBuilder.bind(digital).to(events).with("*.digital.#");
        Binding crmBinding = BindingBuilder.bind(crm).to(events).with("*.crm.#");
        Binding nonCriticalBinding = BindingBuilder.bind(nonCritical).to(nonCriticalEvents).with("#");
        return new Declarables(events, voice, digital, crm, deadLetters, voiceBinding, digitalBinding, crmBinding,
                nonCriticalEvents, nonCritical, nonCriticalBinding);
    }

    private static Queue queue(String name, BrokerProperties properties) {
        QueueBuilder builder = QueueBuilder.durable(name);
        if (properties.quorum()) {
            builder.withArguments(Map.of("x-queue-type", "quorum"));
        }
        return builder.build();
    }
}
