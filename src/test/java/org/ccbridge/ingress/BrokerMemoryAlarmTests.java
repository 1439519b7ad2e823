package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ccbridge.support.IngressAssertions.assertAccepted;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RabbitMqMemoryAlarm;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The local RabbitMQ in a real memory alarm, which blocks every publishing connection: the ingress
 * answers 503 + Retry-After at once instead of waiting for a confirm that cannot come, keeps no
 * claim, and accepts every event when the platform retries after the alarm; nothing is lost.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
// its own context, with a connection pool: closed after the class, or PostgreSQL runs out of clients
@DirtiesContext
class BrokerMemoryAlarmTests extends ProductionModeTestSupport {

    private static final int EVENTS = 20;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port());
    }

    @Test
    void duringAMemoryAlarmDeliveriesGetAFast503AndTheirRetriesAfterItAreAcceptedOnce() {
        // the broker tells the connections that have published when it blocks them
        assertAccepted(client.postDemo(WebhookClient.newEventId(), WebhookClient.demoEvent("voice", "alarm-0")));
        queues.purgeAll();
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 1; i <= EVENTS; i++) {
            ids.add(WebhookClient.newEventId());
            bodies.add(WebhookClient.demoEvent(i % 2 == 0 ? "voice" : "digital", "alarm-" + i));
        }

        long slowest = 0;
        try (RabbitMqMemoryAlarm alarm = RabbitMqMemoryAlarm.raise()) {
            for (int i = 0; i < EVENTS; i++) {
                long started = System.nanoTime();
                HttpResponse<String> blocked = client.postDemo(ids.get(i), bodies.get(i));
                slowest = Math.max(slowest, (System.nanoTime() - started) / 1_000_000);

                assertThat(blocked.statusCode()).isEqualTo(503);
                assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
                assertThat(blocked.body()).contains("could not be made durable");
            }
        }
        // the confirm timeout is 2 s here: an answer well under it was not waiting for a confirm
        assertThat(slowest).as("slowest 503 during the alarm, ms").isLessThan(1_000);
        // RabbitMQ blocks a connection when it next publishes: that one publish met the alarm,
        // was answered 503 at once, and the broker routed it when the alarm cleared. It is the
        // at-least-once copy a confirm timeout leaves too; no other publish got through.
        assertThat(queues.interactionMessages()).isLessThanOrEqualTo(1);

        for (int i = 0; i < EVENTS; i++) {
            assertAccepted(client.retryDemoUntilAnswered(ids.get(i), bodies.get(i), Duration.ofSeconds(15), 503));
        }
        Set<String> published = new HashSet<>();
        List<Message> messages = new ArrayList<>(queues.drain(BrokerTopology.VOICE_QUEUE));
        messages.addAll(queues.drain(BrokerTopology.DIGITAL_QUEUE));
        messages.forEach(message -> published.add(message.getMessageProperties().getMessageId()));
        assertThat(messages).hasSizeBetween(EVENTS, EVENTS + 1);
        assertThat(published).hasSize(EVENTS);
        ids.forEach(id -> assertThat(published).anySatisfy(messageId -> assertThat(messageId).endsWith(id)));
    }
}
