package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.ccbridge.support.IngressAssertions.assertAccepted;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.dedup.DedupStore;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.StandardWebhooksSigner;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.amqp.core.Message;
import org.springframework.beans.factory.annotation.Autowired;

@ExtendWith(OutputCaptureExtension.class)
class WebhookIngressTests extends EmbeddedModeTestSupport {

    @Autowired
    private AuthenticationFailureLog failureLog;

    @Autowired
    DedupStore dedupStore;

    @Test
    void acceptedEventIsInItsQueueWithOperatorHeaders() {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("digital", "c-1");

        HttpResponse<String> response = client.postDemo(id, body);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":\"ACCEPTED\",\"eventId\":\"" + id + "\"}");
        List<Message> messages = queues.drain(BrokerTopology.DIGITAL_QUEUE);
        assertThat(messages).hasSize(1);
        Message message = messages.get(0);
        assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo(body);
        Map<String, Object> headers = message.getMessageProperties().getHeaders();
        assertThat(headers).containsEntry("ccbridge-event-id", id)
                .containsEntry("ccbridge-source", "demo")
                .containsEntry("ccbridge-record-key", "c-1")
                .containsEntry("ccbridge-payload-hash", WebhookClient.payloadHash(body))
                .containsKey("ccbridge-received-at");
        assertThat(queues.depth(BrokerTopology.VOICE_QUEUE)).isZero();
    }

    @Test
    void tracingIsOffByDefaultSoAPlatformsTraceparentIsNeitherCarriedOnNorNamedInTheFate() throws Exception {
        String id = WebhookClient.newEventId();
        HttpResponse<String> response = client.postDemo(id, WebhookClient.demoEvent("digital", "c-1t"),
                Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

        assertThat(response.statusCode()).isEqualTo(200);
        List<Message> messages = queues.drain(BrokerTopology.DIGITAL_QUEUE);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).getMessageProperties().getHeaders()).doesNotContainKey("traceparent");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                client.getAsAdmin("/admin/events/demo/" + id, ADMIN_TOKEN).statusCode() == 200);
        JsonNode fate = new ObjectMapper().readTree(client.getAsAdmin("/admin/events/demo/" + id, ADMIN_TOKEN).body());
        assertThat(fate.get("traceIds")).isEmpty();
        assertThat(fate.toString()).doesNotContain("0af7651916cd43dd8448eb211c80319c");
    }

    @Test
    void voiceEventsGoToTheVoiceQueue() {
        String id = WebhookClient.newEventId();
        assertThat(client.postDemo(id, WebhookClient.demoEvent("voice", "c-2")).statusCode()).isEqualTo(200);
        assertThat(queues.depth(BrokerTopology.VOICE_QUEUE)).isEqualTo(1);
        assertThat(queues.depth(BrokerTopology.DIGITAL_QUEUE)).isZero();
    }

    @Test
    void duplicateAfterDoneIsAcknowledgedWithoutPublishing() {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("digital", "c-3");
        client.postDemo(id, body);

        HttpResponse<String> again = client.postDemo(id, body);

        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"status\":\"DUPLICATE\"");
        assertThat(queues.interactionMessages()).isEqualTo(1);
    }

    @Test
    void duplicateWhileInFlightGets409WithRetryAfter() {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("digital", "c-4");
        dedupStore.claim("demo:" + id, WebhookClient.payloadHash(body), Duration.ofSeconds(30));

        HttpResponse<String> response = client.postDemo(id, body);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void deliveryThatCrashedBetweenClaimAndPublishIsProcessedByARetryAfterTheLease() throws InterruptedException {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("digital", "c-4b");
        // what a delivery that died right after claiming leaves behind
        dedupStore.claim("demo:" + id, WebhookClient.payloadHash(body), Duration.ofMillis(800));
        assertThat(client.postDemo(id, body).statusCode()).isEqualTo(409);

        Thread.sleep(1000);
        HttpResponse<String> retry = client.postDemo(id, body);

        assertAccepted(retry);
        assertThat(queues.depth(BrokerTopology.DIGITAL_QUEUE)).isEqualTo(1);
    }

    @Test
    void sameIdWithAnotherPayloadIsRejectedAndCounted() {
        String id = WebhookClient.newEventId();
        client.postDemo(id, WebhookClient.demoEvent("digital", "c-5"));

        HttpResponse<String> response = client.postDemo(id, WebhookClient.demoEvent("digital", "c-5-changed"));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(response.body()).contains("\"status\":422").doesNotContain("c-5-changed");
        assertThat(queues.interactionMessages()).isEqualTo(1);
        assertThat(client.get("/actuator/prometheus").body())
                .containsPattern("ccbridge_ingress_events_total\\{outcome=\"payload_mismatch\",source=\"demo\"\\} [1-9]");
    }

    @Test
    void theRefusedDeliveryOfAReusedIdIsInTheEventsFateByItsPayloadHash() throws Exception {
        String id = WebhookClient.newEventId();
        String changed = WebhookClient.demoEvent("digital", "c-5b-changed");
        client.postDemo(id, WebhookClient.demoEvent("digital", "c-5b"));
        assertThat(client.postDemo(id, changed).statusCode()).isEqualTo(422);

        JsonNode[] fate = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> reply = client.getAsAdmin("/admin/events/demo/" + id, ADMIN_TOKEN);
            fate[0] = reply.statusCode() == 200 ? new ObjectMapper().readTree(reply.body()) : null;
            return fate[0] != null && fate[0].get("story").size() == 3;
        });
        JsonNode refused = fate[0].get("story").get(2);
        assertThat(refused.get("stage").asText()).isEqualTo("REFUSED");
        assertThat(refused.get("reply").asText()).isEqualTo("422 Event id reused");
        assertThat(refused.get("payloadHash").asText()).isEqualTo(HexFormat.of().formatHex(MessageDigest
                .getInstance("SHA-256").digest(changed.getBytes(StandardCharsets.UTF_8))));
        assertThat(fate[0].get("story").get(0).get("payloadHash").asText())
                .isNotEqualTo(refused.get("payloadHash").asText());
    }

    @Test
    void fiftyConcurrentDeliveriesOfOneEventPublishOnce() throws Exception {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("voice", "c-6");
        int deliveries = 50;
        ExecutorService pool = Executors.newFixedThreadPool(deliveries);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < deliveries; i++) {
                responses.add(pool.submit(() -> {
                    start.await();
                    return client.postDemo(id, body);
                }));
            }
            start.countDown();
            List<String> outcomes = new ArrayList<>();
            for (Future<HttpResponse<String>> response : responses) {
                HttpResponse<String> r = response.get();
                outcomes.add(r.statusCode() == 200 ? r.body().replaceAll(".*\"status\":\"(\\w+)\".*", "$1")
                        : Integer.toString(r.statusCode()));
            }
            assertThat(outcomes).filteredOn("ACCEPTED"::equals).hasSize(1);
            assertThat(outcomes).allMatch(o -> o.equals("ACCEPTED") || o.equals("DUPLICATE") || o.equals("409"));
        } finally {
            pool.shutdownNow();
        }
        assertThat(queues.depth(BrokerTopology.VOICE_QUEUE)).isEqualTo(1);
    }

    @Test
    void malformedJsonIs400AndNothingIsEnqueued() {
        HttpResponse<String> response = client.postDemo(WebhookClient.newEventId(), "{\"type\":\"interaction.wrapup\",");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("not well-formed JSON");
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void theReportedOverLongWebhookIdIs400AndTheDeliveriesAfterItAreAnsweredRight() {
        // before the fix this id reached the publish, which threw and put its channel out of step
        // (the channel's own recovery is ConfirmingPublisherTests'); now the parser refuses it
        HttpResponse<String> tooLong = client.postDemo("msg_" + "x".repeat(247), "{\"type\":\"interaction.wrapup\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("webhook-id header").doesNotContain("xxxx");
        // every later delivery is published once and answered ACCEPTED, then DUPLICATE on its retry
        for (int i = 0; i < 10; i++) {
            String id = WebhookClient.newEventId();
            String body = "{\"type\":\"interaction.wrapup\",\"data\":{\"channel\":\"voice\"}}";
            assertThat(client.postDemo(id, body).body()).as("delivery %d", i).contains("ACCEPTED");
            assertThat(client.postDemo(id, body).body()).as("retry %d", i).contains("DUPLICATE");
        }
        assertThat(queues.interactionMessages()).isEqualTo(10);
    }

    @Test
    void anAbsurdTimestampIs400NamingTheField() {
        HttpResponse<String> response = client.postDemo(WebhookClient.newEventId(),
                "{\"type\":\"interaction.wrapup\",\"timestamp\":-31557014167219201}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("timestamp is out of range");
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void missingEventTypeIs400() {
        assertThat(client.postDemo(WebhookClient.newEventId(), "{\"data\":{}}").statusCode()).isEqualTo(400);
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void overSizeBodyIs413AndNothingIsEnqueued() {
        String padding = "x".repeat(300 * 1024);
        HttpResponse<String> response = client.postDemo(WebhookClient.newEventId(),
                "{\"type\":\"interaction.wrapup\",\"data\":{\"notes\":\"" + padding + "\"}}");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void declaredOverSizeBodyIsRefusedBeforeItIsRead() throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            // headers only: the reply must come without a byte of the 50 MB body
            socket.getOutputStream().write(("POST /webhooks/demo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: 52428800\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(
                    socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            assertThat(statusLine).startsWith("HTTP/1.1 413");
        }
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void aChunkedBodyToAnotherSpellingOfTheWebhookPathIsRefusedBeforeItIsRead() throws Exception {
        for (String path : new String[] {"/webhooks;x/demo", "/%77ebhooks/demo", "/webhooks//demo", "/WEBHOOKS/demo"}) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5000);
                // one 64 KB chunk of a body that never ends: the reply must not wait for the rest
                socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10000\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().write(new byte[0x10000]);
                socket.getOutputStream().write("\r\n".getBytes(StandardCharsets.US_ASCII));
                String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(
                        socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                assertThat(statusLine).as(path).matches("HTTP/1.1 40[013] .*");
            }
        }
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void chunkedOverSizeBodyIs413() {
        String padding = "x".repeat(2 * 1024 * 1024);
        byte[] body = ("{\"type\":\"t\",\"data\":{\"notes\":\"" + padding + "\"}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = client.postStreamed("demo", body, Map.of("Content-Type", "application/json"));
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void wrongContentTypeIs415() {
        String id = WebhookClient.newEventId();
        byte[] body = WebhookClient.demoEvent("voice", "c-7").getBytes(StandardCharsets.UTF_8);
        long ts = java.time.Instant.now().getEpochSecond();
        HttpResponse<String> response = client.post("demo", body, Map.of("Content-Type", "text/plain",
                "webhook-id", id, "webhook-timestamp", Long.toString(ts),
                "webhook-signature", StandardWebhooksSigner.sign(StandardWebhooksSigner.DEMO_SECRET, id, ts, body)));
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void unknownSourceIs404() {
        HttpResponse<String> response = client.postSigned("nobody", StandardWebhooksSigner.DEMO_SECRET, WebhookClient.newEventId(),
                WebhookClient.demoEvent("voice", "c-8"));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(queues.interactionMessages()).isZero();
    }

    @Test
    void badSignatureIs401ProblemAndNothingIsStored() {
        String id = WebhookClient.newEventId();
        String body = WebhookClient.demoEvent("voice", "c-9");
        HttpResponse<String> response = client.postSigned("demo",
                "whsec_" + java.util.Base64.getEncoder().encodeToString("another-secret".getBytes()), id, body);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"title\":\"Authentication failed\"");
        assertThat(queues.interactionMessages()).isZero();
        assertThat(dedupStore.lookup("demo:" + id, WebhookClient.payloadHash(body))).isNull();
        assertThat(client.get("/actuator/prometheus").body())
                .containsPattern("ccbridge_ingress_events_total\\{outcome=\"unauthorized\",source=\"demo\"\\} [1-9]");
    }

    @Test
    void aFloodOfBadSignaturesIsOneLogLine(CapturedOutput output) {
        failureLog.forget();
        String wrongSecret = "whsec_" + java.util.Base64.getEncoder().encodeToString("wrong-secret-for-flood".getBytes());
        for (int i = 0; i < 25; i++) {
            assertThat(client.postSigned("demo", wrongSecret, WebhookClient.newEventId(), "{\"type\":\"t\"}").statusCode())
                    .isEqualTo(401);
        }
        assertThat(output.getAll().split("Webhook authentication failed: source=demo", -1)).hasSize(2);
    }

    @Test
    void logsNameTheProblemButNeverTheSecretOrThePayload(CapturedOutput output) {
        failureLog.forget();
        String marker = "customer-" + UUID.randomUUID();
        String body = "{\"type\":\"interaction.wrapup\",\"data\":{\"email\":\"" + marker + "@example.com\"}}";
        String id = WebhookClient.newEventId();
        client.postSigned("demo", "whsec_" + java.util.Base64.getEncoder().encodeToString("wrong".getBytes()), id, body);
        client.postDemo(id, body);
        client.postDemo(id, body.replace("wrapup", "ended"));

        assertThat(output.getAll()).contains("Webhook authentication failed: source=demo")
                .contains("Event id reused with a different payload: source=demo")
                .doesNotContain(marker)
                .doesNotContain(StandardWebhooksSigner.DEMO_SECRET)
                .doesNotContain(StandardWebhooksSigner.DEMO_SECRET.substring("whsec_".length()));
    }

    @Test
    void repliesDoNotEchoRequestHeaders() {
        HttpResponse<String> response = client.postDemo(WebhookClient.newEventId(), WebhookClient.demoEvent("voice", "c-10"));
        assertThat(response.headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("webhook-"));
    }

    @Test
    void operatorsSeeQueueDepthsMetricsAndReadiness() {
        client.postDemo(WebhookClient.newEventId(), WebhookClient.demoEvent("voice", "c-11"));

        assertThat(client.getAsAdmin("/admin/queues", ADMIN_TOKEN).body())
                .contains("{\"name\":\"ccbridge.voice.interactions\",\"messages\":1,\"consumers\":0}");
        assertThat(client.get("/actuator/prometheus").body())
                .contains("ccbridge_ingress_ack_seconds_bucket")
                .containsPattern("ccbridge_ingress_events_total\\{outcome=\"accepted\",source=\"demo\"\\} [1-9]");
        HttpResponse<String> readiness = client.get("/actuator/health/readiness");
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(readiness.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void webhooksAreTimedByTheIngressMetricsAndOtherEndpointsByHttpServerRequests() {
        client.postDemo(WebhookClient.newEventId(), WebhookClient.demoEvent("voice", "c-12"));
        client.getAsAdmin("/admin/queues", ADMIN_TOKEN);

        String metrics = client.get("/actuator/prometheus").body();

        assertThat(metrics).containsPattern("ccbridge_ingress_ack_seconds_count\\{outcome=\"accepted\",source=\"demo\"\\} [1-9]")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/admin/queues\"")
                .doesNotContainPattern("http_server_requests_seconds_count\\{[^}]*uri=\"[^\"]*webhooks");
    }

    @Test
    void repliesGoOutWithAContentLengthNotChunked() {
        HttpResponse<String> accepted = client.postDemo(WebhookClient.newEventId(),
                WebhookClient.demoEvent("voice", "c-13"));
        HttpResponse<String> rejected = client.post("demo", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Type", "application/json"));

        for (HttpResponse<String> response : List.of(accepted, rejected)) {
            assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(response.body().length());
            assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
        }
    }
}
