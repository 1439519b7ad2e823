package org.ccbridge.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.support.ApiClient;
import org.ccbridge.support.FakeNotificationProvider;
import org.ccbridge.support.FakeSalesforce;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.RestTargetFake;
import org.ccbridge.support.WebhookClient;
import org.ccbridge.sync.BothDirectionsSync;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Tracing turned on by its one property, against an OTLP collector fake: a platform's trace goes
 * from the webhook through RabbitMQ (traceparent in the message headers) to the lane, the batch's
 * CRM write and the dead-lettering, its id is in the event's fate and in the log lines, and the spans are exported.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class TracingEndToEndTests extends ProductionModeTestSupport {

    private static final FakeSalesforce SALESFORCE = new FakeSalesforce();
    private static final WireMockServer PLATFORM = RestTargetFake.acceptingEveryWrite();
    private static final WireMockServer COLLECTOR = new WireMockServer(options().dynamicPort());
    private static final FakeNotificationProvider PROVIDER = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
    private static final String API_KEY = "tracing-e2e-flows-key";
    private static final String ADMIN_TOKEN = "tracing-e2e-admin-token";
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    static {
        COLLECTOR.start();
        COLLECTOR.stubFor(post(urlEqualTo("/v1/traces")).willReturn(aResponse().withStatus(200)));
    }

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port());
        registry.add("ccbridge.admin.operate-token", () -> ADMIN_TOKEN);
        BothDirectionsSync.register(registry, SALESFORCE, PLATFORM, "whsec_"
                + Base64.getEncoder().encodeToString("tracing-e2e-crm-secret".getBytes(StandardCharsets.UTF_8)), "2");
        registry.add("ccbridge.sync.retry.attempts", () -> "2");
        registry.add("ccbridge.sync.retry.initial-backoff", () -> "20ms");
        PROVIDER.registerAsSmsProvider(registry, API_KEY);
        // the one property
        registry.add("management.otlp.tracing.endpoint", () -> COLLECTOR.baseUrl() + "/v1/traces");
    }

    @AfterAll
    static void stopFakes() {
        SALESFORCE.close();
        PLATFORM.stop();
        COLLECTOR.stop();
        PROVIDER.close();
    }

    @Test
    void aNotificationAskedForInATraceIsSentToItsProviderInThatTrace() throws Exception {
        PROVIDER.accept();
        String traceId = newTraceId();
        String key = "trace-" + UUID.randomUUID();
        HttpResponse<String> accepted = new ApiClient(port, API_KEY).sendWithHeaders("POST", "/notifications",
                "{\"channel\":\"sms\",\"recipient\":\"(202) 555-0143\",\"template\":\"reminder\","
                        + "\"customerId\":\"cust-trace\",\"messageType\":\"trace-" + key + "\"}",
                Map.of("Idempotency-Key", key, "traceparent",
                        "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01"));
        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = new ObjectMapper().readTree(accepted.body()).get("id").asText();

        // sent later by the relay, from the outbox row: still the caller's trace
        await().atMost(Duration.ofSeconds(20)).until(() -> PROVIDER.deliveries(id) == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> exported(traceId, "ccbridge notify-send"));
    }

    @Test
    void thePlatformsTraceFollowsTheEventToTheCrmWriteIntoItsFateAndToTheCollector() throws Exception {
        String traceId = newTraceId();
        String key = "E2E-TRACE-" + RUN;
        String id = WebhookClient.newEventId();

        assertThat(postWithTrace(id, contactEvent(key, "trace@example.com"), traceId).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> SALESFORCE.upserts(key).size() == 1);
        JsonNode fate = awaitFate(id, "SYNCED");
        assertThat(fate.get("traceIds")).extracting(JsonNode::asText).containsExactly(traceId);
        for (JsonNode step : fate.get("story")) {
            assertThat(step.get("traceId").asText()).as(step.get("stage").asText()).isEqualTo(traceId);
        }
        // the webhook's server span and the lane's consumer span, in the platform's trace
        await().atMost(Duration.ofSeconds(20)).until(() -> exported(traceId, "ccbridge record-sync-contact-center-event"));
        assertThat(exported(traceId, "http post")).isTrue();
        // the lane's batch wrote to Salesforce in one call: that call is a span in this event's trace too
        await().atMost(Duration.ofSeconds(20)).until(() -> exported(traceId, "ccbridge write salesforce (batch)"));
    }

    @Test
    void aDeadLetteringIsLoggedWithTheEventsTraceIdAndTheReplayStaysInTheTrace(CapturedOutput output) throws Exception {
        String traceId = newTraceId();
        String key = "E2E-TRACE-DLQ-" + RUN;
        SALESFORCE.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).atPriority(1)
                .willReturn(FakeSalesforce.error(400, "INVALID_FIELD", "No such column 'Last_Disposition__c'")));
        String id = WebhookClient.newEventId();

        assertThat(postWithTrace(id, contactEvent(key, "dlq@example.com"), traceId).statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> queues.depth(BrokerTopology.DEAD_LETTER_QUEUE) == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().lines()
                .anyMatch(line -> line.contains("Dead-lettered event " + id) && line.contains(traceId)));

        SALESFORCE.server().resetMappings();
        SALESFORCE.reset();
        assertThat(client.getAsAdmin("/admin/queues", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(replay().statusCode()).isEqualTo(200);
        JsonNode fate = awaitFate(id, "REPLAYED");
        List<String> stages = new ArrayList<>();
        fate.get("story").forEach(step -> {
            stages.add(step.get("stage").asText());
            assertThat(step.get("traceId").asText()).as(step.get("stage").asText()).isEqualTo(traceId);
        });
        assertThat(stages).containsSubsequence("RECEIVED", "DEAD_LETTERED", "REPLAYED");
    }

    private HttpResponse<String> replay() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/admin/dlq/replay?limit=10")).header("X-Admin-Token", ADMIN_TOKEN)
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Whether a span export to the collector holds this trace id (16 bytes) and this span name. */
    private static boolean exported(String traceId, String spanName) {
        byte[] id = HexFormat.of().parseHex(traceId);
        for (LoggedRequest request : COLLECTOR.findAll(postRequestedFor(urlEqualTo("/v1/traces")))) {
            byte[] body = request.getBody();
            if (contains(body, id) && contains(body, spanName.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private JsonNode awaitFate(String eventId, String stage) {
        JsonNode[] fate = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            var reply = client.getAsAdmin("/admin/events/demo/" + eventId, ADMIN_TOKEN);
            fate[0] = reply.statusCode() == 200 ? new ObjectMapper().readTree(reply.body()) : null;
            List<String> stages = new ArrayList<>();
            if (fate[0] != null) {
                fate[0].get("story").forEach(step -> stages.add(step.get("stage").asText()));
            }
            return stages.contains(stage);
        });
        return fate[0];
    }

    private HttpResponse<String> postWithTrace(String id, String body, String traceId) {
        return client.postDemo(id, body, Map.of("traceparent",
                "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01"));
    }

    private static String newTraceId() {
        return HexFormat.of().formatHex(randomBytes(16));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static String contactEvent(String contactId, String email) {
        return "{\"type\":\"contact.updated\",\"timestamp\":\"2026-12-07T10:00:00Z\",\"data\":{\"channel\":\"digital\","
                + "\"contactId\":\"" + contactId + "\",\"version\":1,\"email\":\"" + email + "\"}}";
    }
}
