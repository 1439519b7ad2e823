package org.ccbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/** The publisher against a real RabbitMQ, on an exchange and queue of its own. */
@RequiresServices(LocalService.RABBITMQ)
class ConfirmingPublisherTests {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final String exchange = "ccbridge.test.publisher." + UUID.randomUUID();
    private final String queue = exchange + ".bound";
    private CachingConnectionFactory connections;
    private RabbitAdmin admin;
    private ConfirmingPublisher publisher;

    @BeforeEach
    void topology() {
        connections = new CachingConnectionFactory("127.0.0.1", LocalService.RABBITMQ.port());
        connections.setUsername("guest");
        connections.setPassword("guest");
        admin = new RabbitAdmin(connections);
        TopicExchange events = new TopicExchange(exchange, false, true);
        Queue bound = new Queue(queue, false, false, true);
        admin.declareExchange(events);
        admin.declareQueue(bound);
        admin.declareBinding(BindingBuilder.bind(bound).to(events).with("*.voice.#"));
        publisher = new ConfirmingPublisher(connections, 2, Duration.ofSeconds(5));
    }

    @AfterEach
    void close() {
        publisher.close();
        admin.deleteQueue(queue);
        admin.deleteExchange(exchange);
        connections.destroy();
    }

    @Test
    void manyConcurrentPublishesAreEachConfirmedAndQueued() throws Exception {
        List<CompletableFuture<Void>> confirms = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            confirms.add(publisher.publish(exchange, "demo.voice.wrapup", properties("evt-" + i), body(), WAIT));
        }

        CompletableFuture.allOf(confirms.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);

        assertThat(admin.getQueueInfo(queue).getMessageCount()).isEqualTo(500);
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void unroutableEventFailsAlthoughTheBrokerAcksIt() {
        CompletableFuture<Void> unroutable = publisher.publish(exchange, "demo.fax.wrapup", properties("evt-fax"),
                body(), WAIT);

        assertThatThrownBy(() -> unroutable.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PublishFailedException.class).hasMessageContaining("no queue took the event");
        assertThat(admin.getQueueInfo(queue).getMessageCount()).isZero();
    }

    @Test
    void channelClosedByTheBrokerFailsItsPublishAndTheNextPublishReopensIt() throws Exception {
        // publishing to an exchange that does not exist makes the broker close the channel
        CompletableFuture<Void> lost = publisher.publish(exchange + ".missing", "demo.voice.wrapup",
                properties("evt-lost"), body(), WAIT);
        assertThatThrownBy(() -> lost.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(PublishFailedException.class)
                .hasMessageContaining("channel closed");

        // the other channel of the two, then the reopened one
        publisher.publish(exchange, "demo.voice.wrapup", properties("evt-next-1"), body(), WAIT)
                .get(5, TimeUnit.SECONDS);
        publisher.publish(exchange, "demo.voice.wrapup", properties("evt-next-2"), body(), WAIT)
                .get(5, TimeUnit.SECONDS);

        assertThat(admin.getQueueInfo(queue).getMessageCount()).isEqualTo(2);
    }

    @Test
    void aPublishThatCannotBeEncodedLeavesTheNextPublishesConfirmedOnce() throws Exception {
        // the client counts a sequence number, then fails to encode a message id over 255 bytes:
        // a channel kept in use would confirm every later publish with its predecessor's ack
        CompletableFuture<Void> before = publisher.publish(exchange, "demo.voice.wrapup", properties("evt-before"),
                body(), WAIT);
        assertThatThrownBy(() -> publisher.publish(exchange, "demo.voice.wrapup", properties("x".repeat(300)),
                body(), WAIT)).isInstanceOf(PublishFailedException.class).hasMessageContaining("publish failed");

        List<CompletableFuture<Void>> after = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            after.add(publisher.publish(exchange, "demo.voice.wrapup", properties("evt-after-" + i), body(), WAIT));
        }
        before.get(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(after.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        assertThat(admin.getQueueInfo(queue).getMessageCount()).isEqualTo(21);
        assertThat(publisher.pending()).isZero();
    }

    @Test
    void brokerGoneFailsAtOnce() {
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", AmqpTestSupport.freePort());
        ConfirmingPublisher unreachable = new ConfirmingPublisher(nowhere, 1, Duration.ofSeconds(5));
        try {
            assertThatThrownBy(() -> unreachable.publish(exchange, "demo.voice.wrapup", properties("evt-gone"),
                    body(), WAIT)).isInstanceOf(PublishFailedException.class).hasMessageContaining("unreachable");
        } finally {
            unreachable.close();
            nowhere.destroy();
        }
    }

    private static AMQP.BasicProperties properties(String messageId) {
        return new AMQP.BasicProperties.Builder().deliveryMode(2).messageId(messageId).build();
    }

    private static byte[] body() {
        return "{\"type\":\"interaction.wrapup\"}".getBytes(StandardCharsets.UTF_8);
    }
}
