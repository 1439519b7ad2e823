package org.ccbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.broker.DeadLetterProcessor;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;

/** The DLQ for operators: listed and inspected without being taken, replayed by selection. */
class AdminDeadLetterApiTests extends EmbeddedModeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void deadLettersAreListedAndInspectedWithoutLeavingTheQueueAndReplayedBySelection() throws Exception {
        queues.purgeAll();
        String first = deadLetter("C-201");
        String second = deadLetter("C-202");

        JsonNode listed = JSON.readTree(admin("/admin/dlq?limit=10").body());
        // two sends may take two channels, which the broker need not order
        List<String> order = listed.get("messages").findValuesAsText("messageId");
        assertThat(order).containsExactlyInAnyOrder(first, second);
        JsonNode one = listed.get("messages").get(0);
        assertThat(one.get("error").asText()).contains("INVALID_FIELD");
        assertThat(one.get("attempts").asInt()).isEqualTo(3);
        assertThat(one.get("routingKey").asText()).isEqualTo("demo.voice.interaction.wrapup");
        assertThat(one.get("firstSeen").asText()).isNotBlank();

        HttpResponse<String> inspected = admin("/admin/dlq/" + second);
        assertThat(inspected.statusCode()).as(inspected.body()).isEqualTo(200);
        JsonNode message = JSON.readTree(inspected.body());
        assertThat(message.get("body").asText()).contains("C-202");
        assertThat(message.get("headers").get(DeadLetterProcessor.ROUTE_HEADER).asText())
                .isEqualTo("record-sync-contact-center");
        assertThat(queues.depth(BrokerTopology.DEAD_LETTER_QUEUE)).as("browsing takes nothing").isEqualTo(2);
        assertThat(JSON.readTree(admin("/admin/dlq?limit=10").body()).get("messages").findValuesAsText("messageId"))
                .as("and keeps the order").isEqualTo(order);
        assertThat(admin("/admin/dlq/demo:no-such-event").statusCode()).isEqualTo(404);

        HttpResponse<String> replayed = client.postAsAdmin("/admin/dlq/replay?messageId=" + second
                + "&messageId=demo:gone", ADMIN_TOKEN);
        assertThat(replayed.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(replayed.body()).get("replayed").asInt()).isEqualTo(1);
        assertThat(replayed.body()).contains("\"notFound\":[\"demo:gone\"]");
        assertThat(JSON.readTree(admin("/admin/dlq").body()).get("messages").findValuesAsText("messageId"))
                .containsExactly(first);
        List<Message> back = queues.drain(BrokerTopology.VOICE_QUEUE);
        assertThat(back).hasSize(1);
        assertThat(back.get(0).getMessageProperties().getMessageId()).isEqualTo(second);
    }

    @Test
    void aReplayedEventGoesBackToTheLaneItsSourceGivesItsType() throws Exception {
        queues.purgeAll();
        String nonCritical = deadLetter("cxone", NON_CRITICAL_TYPE, "C-301", "cxone.voice." + NON_CRITICAL_TYPE);
        String critical = deadLetter("cxone", "interaction.wrapup", "C-302", "cxone.voice.interaction.wrapup");

        HttpResponse<String> replayed = client.postAsAdmin("/admin/dlq/replay", ADMIN_TOKEN);
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        assertThat(JSON.readTree(replayed.body()).get("replayed").asInt()).isEqualTo(2);

        // the non-critical event in the lane that is shed under load, not in its channel's queue
        assertThat(queues.drain(BrokerTopology.NON_CRITICAL_QUEUE)).extracting(m -> m.getMessageProperties().getMessageId())
                .containsExactly(nonCritical);
        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).extracting(m -> m.getMessageProperties().getMessageId())
                .containsExactly(critical);
    }

    private HttpResponse<String> admin(String path) {
        return client.getAsAdmin(path, ADMIN_TOKEN);
    }

    private String deadLetter(String contactId) {
        return deadLetter("demo", "interaction.wrapup", contactId, "demo.voice.interaction.wrapup");
    }

    private String deadLetter(String source, String type, String contactId, String routingKey) {
        String eventId = "evt-" + UUID.randomUUID();
        String messageId = source + ":" + eventId;
        rabbitTemplate.send("", BrokerTopology.DEAD_LETTER_QUEUE, MessageBuilder
                .withBody(WebhookClient.demoEvent("voice", contactId).getBytes())
                .setContentType("application/json").setMessageId(messageId)
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                .setHeader("ccbridge-source", source).setHeader("ccbridge-event-id", eventId)
                .setHeader("ccbridge-type", type)
                .setHeader(DeadLetterProcessor.ERROR_HEADER, "TargetRejectedException: INVALID_FIELD")
                .setHeader(DeadLetterProcessor.ATTEMPTS_HEADER, 3)
                .setHeader(DeadLetterProcessor.FIRST_SEEN_HEADER, Instant.now().toString())
                .setHeader(DeadLetterProcessor.ROUTE_HEADER, "record-sync-contact-center")
                .setHeader(DeadLetterProcessor.ROUTING_KEY_HEADER, routingKey).build());
        return messageId;
    }
}
