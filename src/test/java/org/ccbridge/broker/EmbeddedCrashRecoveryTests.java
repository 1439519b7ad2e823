package org.ccbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.ccbridge.support.FreePorts;
import org.ccbridge.support.ServiceProcess;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Embedded mode: every event acknowledged before a kill -9 is still in its queue after a restart,
 * and its claim is still done.
 */
class EmbeddedCrashRecoveryTests {

    private static final int EVENTS = 40;

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedEventsSurviveKillNine() throws Exception {
        int httpPort = FreePorts.next();
        int brokerPort = FreePorts.next();
        Path log = dataDir.resolve("service.log");
        String[] properties = {
                "--ccbridge.data-dir=" + dataDir.resolve("data"),
                "--ccbridge.broker.embedded.port=" + brokerPort,
                "--ccbridge.routes-dir=" + ServiceProcess.absolute("routes"),
                "--ccbridge.routes.reload=false",
                // the first deliveries run on a cold JVM, whose first store call and publish can
                // take longer than the 200 ms default budget; this test is about kill -9
                "--ccbridge.ingress.ack-budget=2s"};

        Set<String> acknowledged = new HashSet<>();
        String firstBody = null;
        String firstId = null;
        try (ServiceProcess service = new ServiceProcess(httpPort, log, properties)) {
            WebhookClient client = service.start(Duration.ofSeconds(90));
            for (int i = 0; i < EVENTS; i++) {
                String id = "msg_" + UUID.randomUUID();
                String body = WebhookClient.demoEvent(i % 2 == 0 ? "voice" : "digital", "c-crash-" + i);
                HttpResponse<String> response = client.postDemo(id, body);
                assertThat(response.statusCode()).isEqualTo(200);
                acknowledged.add(id);
                if (firstId == null) {
                    firstId = id;
                    firstBody = body;
                }
            }
            service.kill();
        }

        try (ServiceProcess restarted = new ServiceProcess(httpPort, log, properties)) {
            WebhookClient client = restarted.start(Duration.ofSeconds(90));
            assertThat(client.postDemo(firstId, firstBody).body()).as("claim survived").contains("DUPLICATE");

            Set<String> queued = new HashSet<>();
            CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", brokerPort);
            try {
                RabbitTemplate rabbit = new RabbitTemplate(connections);
                for (String queue : new String[] {BrokerTopology.VOICE_QUEUE, BrokerTopology.DIGITAL_QUEUE}) {
                    Message message;
                    while ((message = rabbit.receive(queue, 500)) != null) {
                        queued.add(message.getMessageProperties().getHeader(EventPublishProcessor.EVENT_ID_HEADER));
                    }
                }
            } finally {
                connections.destroy();
            }
            assertThat(queued).as("events in the queues after kill -9; log in " + log).isEqualTo(acknowledged);
        }
        assertThat(Files.size(log)).isPositive();
    }
}
