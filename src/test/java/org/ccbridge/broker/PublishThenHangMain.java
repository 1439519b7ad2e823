package org.ccbridge.broker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.CorrelationData;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

/**
 * Child JVM of the kill -9 test: starts the broker, publishes persistent confirmed messages,
 * prints {@value #PUBLISHED} and then waits to be killed without closing anything.
 *
 * <p>Arguments: port, work dir, number of messages.
 */
public final class PublishThenHangMain {

    static final String PUBLISHED = "PUBLISHED";

    private PublishThenHangMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        AmqpTestSupport.quietLogging();
        int port = Integer.parseInt(args[0]);
        Path workDir = Path.of(args[1]);
        int count = Integer.parseInt(args[2]);
        try {
            publish(port, workDir, count);
        } catch (Throwable failure) {
            // Exit explicitly: the broker's non-daemon threads would otherwise keep this JVM alive.
            failure.printStackTrace(System.out);
            System.exit(1);
        }
        System.out.println(PUBLISHED);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }

    private static void publish(int port, Path workDir, int count) throws Exception {
        EmbeddedAmqpBroker broker = new EmbeddedAmqpBroker(
                port, workDir, AmqpTestSupport.USERNAME, AmqpTestSupport.PASSWORD);
        broker.start();

        CachingConnectionFactory factory = AmqpTestSupport.connectionFactory(port);
        AmqpTestSupport.declareTopology(new RabbitAdmin(factory));
        List<String> returned = new ArrayList<>();
        List<CorrelationData.Confirm> confirms = AmqpTestSupport.publishConfirmed(
                AmqpTestSupport.mandatoryTemplate(factory, returned), AmqpTestSupport.VOICE_ROUTING_KEY, count);
        long acks = confirms.stream().filter(CorrelationData.Confirm::isAck).count();
        if (acks != count || !returned.isEmpty()) {
            throw new IllegalStateException("acks=" + acks + " of " + count + ", returned=" + returned.size());
        }
    }
}
