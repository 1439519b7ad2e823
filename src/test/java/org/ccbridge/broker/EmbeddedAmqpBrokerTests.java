package org.ccbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.AmqpAuthenticationException;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;

class EmbeddedAmqpBrokerTests {

    @TempDir
    Path workDir;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeAll
    static void quietLogging() {
        AmqpTestSupport.quietLogging();
    }

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void publishesPersistentMessagesWithCorrelatedConfirmsAndReportsQueueCounts() throws Exception {
        int port = AmqpTestSupport.freePort();
        startBroker(port);
        CachingConnectionFactory factory = connectionFactory(port);
        RabbitAdmin admin = new RabbitAdmin(factory);
        AmqpTestSupport.declareTopology(admin);
        List<String> returned = new CopyOnWriteArrayList<>();

        List<CorrelationData.Confirm> confirms = AmqpTestSupport.publishConfirmed(
                AmqpTestSupport.mandatoryTemplate(factory, returned), AmqpTestSupport.VOICE_ROUTING_KEY, 100);

        assertThat(confirms).hasSize(100).allSatisfy(confirm -> assertThat(confirm.isAck()).isTrue());
        assertThat(returned).isEmpty();
        QueueInformation voice = admin.getQueueInfo(AmqpTestSupport.VOICE_QUEUE);
        assertThat(voice).isNotNull();
        assertThat(voice.getMessageCount()).isEqualTo(100);
        assertThat(admin.getQueueInfo(AmqpTestSupport.CHAT_QUEUE).getMessageCount()).isZero();
        assertThat(admin.getQueueInfo("ccbridge.no-such-queue")).isNull();
    }

    @Test
    void persistentMessagesSurviveKillMinus9OfTheBrokerJvm() throws Exception {
        int messages = 200;
        int childPort = AmqpTestSupport.freePort();
        Process child = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                PublishThenHangMain.class.getName(),
                Integer.toString(childPort), workDir.toString(), Integer.toString(messages))
                .redirectErrorStream(true)
                .start();
        try {
            awaitLine(child, PublishThenHangMain.PUBLISHED, 120);
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }

        int port = AmqpTestSupport.freePort();
        startBroker(port);
        CachingConnectionFactory factory = connectionFactory(port);
        RabbitAdmin admin = new RabbitAdmin(factory);
        assertThat(admin.getQueueInfo(AmqpTestSupport.VOICE_QUEUE).getMessageCount()).isEqualTo(messages);
        assertThat(admin.getQueueInfo(AmqpTestSupport.CHAT_QUEUE).getMessageCount()).isZero();
        Message first = new RabbitTemplate(factory).receive(AmqpTestSupport.VOICE_QUEUE, 5000);
        assertThat(first).isNotNull();
        assertThat(new String(first.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"seq\":0}");
        assertThat(first.getMessageProperties().getReceivedDeliveryMode()).isEqualTo(MessageDeliveryMode.PERSISTENT);
    }

    @Test
    void keepsMessagesAcrossCleanRestartInTheSameJvm() throws Exception {
        int port = AmqpTestSupport.freePort();
        EmbeddedAmqpBroker first = new EmbeddedAmqpBroker(
                port, workDir, AmqpTestSupport.USERNAME, AmqpTestSupport.PASSWORD);
        first.start();
        CachingConnectionFactory firstFactory = AmqpTestSupport.connectionFactory(port);
        try {
            AmqpTestSupport.declareTopology(new RabbitAdmin(firstFactory));
            List<CorrelationData.Confirm> confirms = AmqpTestSupport.publishConfirmed(
                    AmqpTestSupport.mandatoryTemplate(firstFactory, new ArrayList<>()),
                    AmqpTestSupport.VOICE_ROUTING_KEY, 5);
            assertThat(confirms).allSatisfy(confirm -> assertThat(confirm.isAck()).isTrue());
        } finally {
            firstFactory.destroy();
            first.close();
        }

        startBroker(port);
        RabbitAdmin admin = new RabbitAdmin(connectionFactory(port));
        assertThat(admin.getQueueInfo(AmqpTestSupport.VOICE_QUEUE).getMessageCount()).isEqualTo(5);
    }

    /**
     * Qpid differs from RabbitMQ here: an unroutable mandatory message is returned AND nacked
     * (RabbitMQ returns it and acks it), so a nack does not always mean "the broker lost it".
     */
    @Test
    void unroutableMandatoryMessageIsReturnedAndNacked() throws Exception {
        int port = AmqpTestSupport.freePort();
        startBroker(port);
        CachingConnectionFactory factory = connectionFactory(port);
        AmqpTestSupport.declareTopology(new RabbitAdmin(factory));
        List<String> returned = new CopyOnWriteArrayList<>();

        List<CorrelationData.Confirm> confirms = AmqpTestSupport.publishConfirmed(
                AmqpTestSupport.mandatoryTemplate(factory, returned), "acme.fax.received", 1);

        assertThat(confirms).singleElement().satisfies(confirm -> assertThat(confirm.isAck()).isFalse());
        awaitSize(returned, 1);
        assertThat(returned).containsExactly("acme.fax.received-0");
    }

    /** RabbitMQ-only queue arguments are refused; Qpid only knows its own (x-qpid-*, qpid.*). */
    @Test
    void refusesRabbitMqSpecificQueueArguments() throws Exception {
        int port = AmqpTestSupport.freePort();
        startBroker(port);
        CachingConnectionFactory factory = connectionFactory(port);
        try (Connection connection = factory.createConnection()) {
            Channel channel = connection.createChannel(false);
            assertThatThrownBy(() -> channel.queueDeclare(
                    "ccbridge.with-ttl", true, false, false, Map.of("x-message-ttl", 60000)))
                    .hasRootCauseInstanceOf(ShutdownSignalException.class)
                    .rootCause()
                    .satisfies(cause -> {
                        ShutdownSignalException shutdown = (ShutdownSignalException) cause;
                        assertThat(shutdown.isHardError()).as("connection-level close").isTrue();
                        assertThat(shutdown.getReason().toString())
                                .contains("reply-code=542")
                                .contains("x-message-ttl");
                    });
        }
    }

    @Test
    void failsFastWhenThePortIsTakenAndStartsOnceItIsFree() throws Exception {
        int port = AmqpTestSupport.freePort();
        try (ServerSocket taken = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(
                    port, workDir, AmqpTestSupport.USERNAME, AmqpTestSupport.PASSWORD);
            assertThatThrownBy(broker::start).isInstanceOf(IllegalStateException.class);
            assertThat(broker.isRunning()).isFalse();
        }
        startBroker(port);
        assertThat(new RabbitAdmin(connectionFactory(port)).getQueueInfo("absent")).isNull();
    }

    @Test
    void refusesAWrongPasswordAndAnUnknownVirtualHost() {
        int port = AmqpTestSupport.freePort();
        startBroker(port);
        CachingConnectionFactory wrongPassword = connectionFactory(port);
        wrongPassword.setPassword("wrong");
        assertThatThrownBy(wrongPassword::createConnection).isInstanceOf(AmqpAuthenticationException.class);

        CachingConnectionFactory unknownHost = connectionFactory(port);
        unknownHost.setVirtualHost("/elsewhere");
        assertThatThrownBy(unknownHost::createConnection).hasStackTraceContaining("reply-code=404");

        CachingConnectionFactory byNodeName = connectionFactory(port);
        byNodeName.setVirtualHost("default");
        assertThat(new RabbitAdmin(byNodeName).getQueueInfo("absent")).isNull();
    }

    private void startBroker(int port) {
        EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(
                port, workDir, AmqpTestSupport.USERNAME, AmqpTestSupport.PASSWORD);
        broker.start();
        resources.add(broker);
    }

    private CachingConnectionFactory connectionFactory(int port) {
        CachingConnectionFactory factory = AmqpTestSupport.connectionFactory(port);
        resources.add(factory::destroy);
        return factory;
    }

    private static void awaitLine(Process process, String expected, int timeoutSeconds) throws Exception {
        Queue<String> output = new ConcurrentLinkedQueue<>();
        CountDownLatch seen = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    if (line.equals(expected)) {
                        seen.countDown();
                    }
                }
            } catch (IOException ignored) {
                // The stream closes when the child is killed.
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (!seen.await(200, TimeUnit.MILLISECONDS)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Child JVM did not print " + expected + " (alive="
                        + process.isAlive() + "); output:\n" + String.join("\n", output));
            }
        }
    }

    private static void awaitSize(List<?> list, int size) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (list.size() < size && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

}
