package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.StandardWebhooksSigner;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;

/**
 * Genesys Cloud and NICE CXone deliveries through the whole ingress, with their own schemes.
 */
class PlatformSourcesTests extends EmbeddedModeTestSupport {

    @Test
    void genesysDataActionWithHeaderSecretIsAcceptedOnce() {
        String id = UUID.randomUUID().toString();
        byte[] body = ("{\"id\":\"" + id + "\",\"type\":\"conversation.wrapup\",\"createdTime\":1763978400000,"
                + "\"data\":{\"mediaType\":\"voice\",\"conversationId\":\"conv-1\"}}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = Map.of("Content-Type", "application/json", "X-Ccbridge-Secret", GENESYS_SECRET);

        HttpResponse<String> first = client.post("genesys", body, headers);
        HttpResponse<String> retry = client.post("genesys", body, headers);

        assertThat(first.body()).isEqualTo("{\"status\":\"ACCEPTED\",\"eventId\":\"" + id + "\"}");
        assertThat(retry.body()).contains("DUPLICATE");
        List<Message> messages = queues.drain(BrokerTopology.VOICE_QUEUE);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).getMessageProperties().getReceivedRoutingKey())
                .isEqualTo("genesys.voice.conversation.wrapup");
        assertThat(messages.get(0).getMessageProperties().<String>getHeader("ccbridge-occurred-at"))
                .isEqualTo("2025-11-24T10:00:00Z");
    }

    @Test
    void genesysEventWithoutAnIdIs400AndNothingIsEnqueued() {
        byte[] body = "{\"type\":\"conversation.wrapup\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = client.post("genesys", body,
                Map.of("Content-Type", "application/json", "X-Ccbridge-Secret", GENESYS_SECRET));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("missing event id");
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void aSecretOrSignatureInTheQueryStringIsNotTaken() {
        // query strings end up in access logs: credentials count only in headers
        byte[] genesys = ("{\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"conversation.wrapup\"}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> secretInQuery = client.post("genesys?X-Ccbridge-Secret=" + GENESYS_SECRET, genesys,
                Map.of("Content-Type", "application/json"));
        assertThat(secretInQuery.statusCode()).isEqualTo(401);

        String id = WebhookClient.newEventId();
        String body = "{\"type\":\"interaction.wrapup\"}";
        long timestamp = Instant.now().getEpochSecond();
        String signature = StandardWebhooksSigner.sign(StandardWebhooksSigner.DEMO_SECRET, id, timestamp,
                body.getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> signedInQuery = client.post("demo?webhook-id=" + id + "&webhook-timestamp=" + timestamp
                        + "&webhook-signature=" + URLEncoder.encode(signature, StandardCharsets.UTF_8),
                body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/json"));
        assertThat(signedInQuery.statusCode()).isEqualTo(401);
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void genesysWithWrongSecretIs401() {
        byte[] body = "{\"id\":\"g-2\",\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = client.post("genesys", body,
                Map.of("Content-Type", "application/json", "X-Ccbridge-Secret", "guess"));
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void cxoneEventSignedWithHmacIsAcceptedIntoTheDigitalQueue() {
        String id = "nice-" + UUID.randomUUID();
        byte[] body = ("{\"event\":{\"id\":\"" + id + "\",\"type\":\"contact.ended\",\"channel\":\"chat\","
                + "\"contactId\":\"555\"}}").getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + HexFormat.of().formatHex(
                HmacSha256.sign(CXONE_SECRET.getBytes(StandardCharsets.UTF_8), body));

        HttpResponse<String> response = client.post("cxone", body,
                Map.of("Content-Type", "application/json; charset=utf-8", "X-Signature", signature));

        assertThat(response.statusCode()).isEqualTo(200);
        List<Message> messages = queues.drain(BrokerTopology.DIGITAL_QUEUE);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).getMessageProperties().<String>getHeader("ccbridge-record-key")).isEqualTo("555");
        assertThat(messages.get(0).getBody()).isEqualTo(body);
    }

    @Test
    void cxoneWithTamperedBodyIs401() {
        byte[] body = "{\"event\":{\"id\":\"n-2\",\"type\":\"t\"}}".getBytes(StandardCharsets.UTF_8);
        String signature = "sha256=" + HexFormat.of().formatHex(
                HmacSha256.sign(CXONE_SECRET.getBytes(StandardCharsets.UTF_8), body));
        byte[] tampered = "{\"event\":{\"id\":\"n-2\",\"type\":\"u\"}}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = client.post("cxone", tampered,
                Map.of("Content-Type", "application/json", "X-Signature", signature));
        assertThat(response.statusCode()).isEqualTo(401);
    }
}
