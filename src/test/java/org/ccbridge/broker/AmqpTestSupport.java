package org.ccbridge.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Binding;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import ch.qos.logback.classic.Level;

/** Topology and publishing helpers shared by the tests and the child JVM of the kill -9 test. */
final class AmqpTestSupport {

    static final String USERNAME = "ccbridge";
    static final String PASSWORD = "s3cret";
    static final String EXCHANGE = "ccbridge.events";
    static final String VOICE_QUEUE = "ccbridge.crm.voice";
    static final String CHAT_QUEUE = "ccbridge.crm.chat";
    static final String VOICE_ROUTING_KEY = "acme.voice.call.ended";

    private AmqpTestSupport() {
    }

    /**
     * Without a logback configuration file logback logs everything at DEBUG to the console. The
     * application gets its configuration from Spring Boot; plain tests set the root level here
     * rather than shipping a logback-test.xml that Spring Boot tests would pick up too.
     */
    static void quietLogging() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(Level.INFO);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A connection factory configured the way the application will use it: "/" vhost, confirms, returns. */
    static CachingConnectionFactory connectionFactory(int port) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", port);
        factory.setUsername(USERNAME);
        factory.setPassword(PASSWORD);
        factory.setVirtualHost(EmbeddedAmqpBroker.VIRTUAL_HOST);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setPublisherReturns(true);
        return factory;
    }

    /** Declares the topic exchange and two durable queues, without any x-arguments. */
    static void declareTopology(RabbitAdmin admin) {
        TopicExchange exchange = new TopicExchange(EXCHANGE, true, false);
        Queue voice = new Queue(VOICE_QUEUE, true, false, false);
        Queue chat = new Queue(CHAT_QUEUE, true, false, false);
        admin.declareExchange(exchange);
        admin.declareQueue(voice);
        admin.declareQueue(chat);
        Binding voiceBinding = BindingBuilder.bind(voice).to(exchange).with("*.voice.#");
        Binding chatBinding = BindingBuilder.bind(chat).to(exchange).with("*.chat.#");
        admin.declareBinding(voiceBinding);
        admin.declareBinding(chatBinding);
    }

    static RabbitTemplate mandatoryTemplate(CachingConnectionFactory factory, List<String> returnedIds) {
        RabbitTemplate template = new RabbitTemplate(factory);
        template.setMandatory(true);
        template.setReturnsCallback(returned -> returnedIds.add(
                returned.getMessage().getMessageProperties().getCorrelationId()));
        return template;
    }

    /**
     * Publishes {@code count} persistent messages and waits for every publisher confirm.
     *
     * @return the confirms, in publishing order
     */
    static List<CorrelationData.Confirm> publishConfirmed(RabbitTemplate template, String routingKey, int count)
            throws Exception {
        List<CorrelationData> pending = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = routingKey + "-" + i;
            CorrelationData correlation = new CorrelationData(id);
            byte[] body = ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            template.convertAndSend(EXCHANGE, routingKey, body, message -> {
                message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.PERSISTENT);
                message.getMessageProperties().setCorrelationId(id);
                return message;
            }, correlation);
            pending.add(correlation);
        }
        List<CorrelationData.Confirm> confirms = new ArrayList<>(count);
        for (CorrelationData correlation : pending) {
            confirms.add(correlation.getFuture().get(10, TimeUnit.SECONDS));
        }
        return confirms;
    }
}
