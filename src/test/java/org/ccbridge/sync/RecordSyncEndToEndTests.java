package org.ccbridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.broker.DeadLetterProcessor;
import org.ccbridge.support.FakeCxone;
import org.ccbridge.support.FakeSalesforce;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.MonitoringFiles;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.RestTargetFake;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * From a signed webhook to the fake Salesforce, through the ingress, RabbitMQ (quorum queues) and
 * the record-sync route, with the record state in PostgreSQL and locks in Redis.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
// its consumer must not outlive the class: other tests count the messages in the shared queues
@DirtiesContext
class RecordSyncEndToEndTests extends ProductionModeTestSupport {

    private static final FakeSalesforce SALESFORCE = new FakeSalesforce();
    /** The contact-center platform's API, the CRM lane's target. */
    private static final WireMockServer PLATFORM = RestTargetFake.acceptingEveryWrite();
    private static final String CRM_SOURCE_SECRET =
            "whsec_" + Base64.getEncoder().encodeToString("ccbridge-e2e-crm-source-secret".getBytes(StandardCharsets.UTF_8));
    private static final String ADMIN_TOKEN = "sync-e2e-admin-token";
    private static final Duration BREAKER_OPEN = Duration.ofSeconds(3);
    /** Record state lives on in the shared PostgreSQL: every run syncs records of its own. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    @Autowired
    private CamelContext camel;

    @Autowired
    private RecordStateRepository states;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port());
        registry.add("ccbridge.admin.operate-token", () -> ADMIN_TOKEN);
        BothDirectionsSync.register(registry, SALESFORCE, PLATFORM, CRM_SOURCE_SECRET, "2");
        registry.add("ccbridge.sync.retry.attempts", () -> "6");
        registry.add("ccbridge.sync.retry.initial-backoff", () -> "20ms");
        registry.add("ccbridge.sync.retry.max-backoff", () -> "100ms");
        registry.add("ccbridge.crm.targets.salesforce.circuit-breaker.sliding-window", () -> "4");
        registry.add("ccbridge.crm.targets.salesforce.circuit-breaker.minimum-calls", () -> "4");
        registry.add("ccbridge.crm.targets.salesforce.circuit-breaker.open-for", () -> BREAKER_OPEN.toSeconds() + "s");
        registry.add("ccbridge.crm.targets.salesforce.circuit-breaker.half-open-calls", () -> "2");
        // a pulled source, so that the pulled sources' meters the alert rules read exist (CXone has no news)
        FakeCxone.registerSource(registry, "cxone-e2e", "1s");
    }

    @AfterAll
    static void stopFake() {
        SALESFORCE.close();
        PLATFORM.stop();
    }

    @BeforeEach
    void freshFake() {
        SALESFORCE.reset();
    }

    @Test
    void everyMetricTheAlertRulesAndTheDashboardReadIsExported() throws Exception {
        // a synced change and an API call first: some meters appear with their first use
        String key = "E2E-METRICS-" + RUN;
        assertThat(client.postDemo(WebhookClient.newEventId(), contactEvent(key, 1, null, "m@example.com")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !SALESFORCE.upserts(key).isEmpty());
        admin("GET", "/admin/queues");

        String scrape = client.get("/actuator/prometheus").body();

        assertThat(MonitoringFiles.metricNames()).isNotEmpty().allSatisfy(metric ->
                assertThat(scrape).as("%s in /actuator/prometheus", metric).containsPattern("(?m)^" + metric + "[{ ]"));
    }

    @Test
    void eachTargetsCircuitBreakerIsInTheMetrics() throws Exception {
        String scrape = client.get("/actuator/prometheus").body();

        for (String breaker : new String[] {"crm-salesforce", "crm-platform"}) {
            // whatever state another test of this class left it in
            assertThat(scrape).as(breaker).containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"" + breaker
                    + "\"");
        }
        assertThat(admin("GET", "/admin/circuits").body()).contains("\"name\":\"crm-platform\"")
                .contains("\"name\":\"crm-salesforce\"");
    }

    @Test
    void aSignedWebhookBecomesOneUpsertAtSalesforce() {
        String body = contactEvent("E2E-1-" + RUN, 1, "(202) 555-0143", "Jane@Example.com");
        String id = WebhookClient.newEventId();
        assertThat(client.postDemo(id, body).body()).contains("ACCEPTED");
        assertThat(client.postDemo(id, body).body()).contains("DUPLICATE");

        await().atMost(Duration.ofSeconds(20)).until(() -> SALESFORCE.upserts("E2E-1-" + RUN).size() == 1);
        JsonNode upsert = SALESFORCE.upserts("E2E-1-" + RUN).get(0);
        assertThat(upsert.get("Phone").asText()).isEqualTo("(202) 555-0143");
        assertThat(upsert.get("Email").asText()).isEqualTo("jane@example.com");
        assertThat(upsert.get("Sync_Version__c").asLong()).isEqualTo(1);
        assertThat(upsert.get("Sync_Source__c").asText()).isEqualTo("ccbridge");
        await().atMost(Duration.ofSeconds(5)).until(() -> states.find("Contact", "E2E-1-" + RUN).isPresent());
        assertThat(states.find("Contact", "E2E-1-" + RUN).orElseThrow().status()).isEqualTo(SyncStatus.RESOLVED);
    }

    @Test
    void aCrmWebhookTravelsTheCrmLaneToThePlatformWithTheFencingToken() throws Exception {
        String key = "E2E-CRM-" + RUN;
        String body = "{\"type\":\"contact.updated\",\"timestamp\":\"2026-11-29T10:00:00Z\",\"data\":{"
                + "\"External_Id__c\":\"" + key + "\",\"Sync_Version__c\":4,\"Email\":\"Crm@Example.com\"}}";

        assertThat(client.postSigned("salesforce-events", CRM_SOURCE_SECRET, WebhookClient.newEventId(), body)
                .statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> !platformWrites(key).isEmpty());
        LoggedRequest write = platformWrites(key).get(0);
        JsonNode written = new ObjectMapper().readTree(write.getBodyAsString());
        assertThat(written.get("email").asText()).isEqualTo("crm@example.com");
        assertThat(written.get("syncVersion").asLong()).isEqualTo(4);
        await().atMost(Duration.ofSeconds(5)).until(() -> states.find("Contact", key).isPresent());
        assertThat(Long.parseLong(write.getHeader("X-Ccbridge-Fencing-Token")))
                .isEqualTo(states.find("Contact", key).orElseThrow().fenceToken());
        // the CRM lane, not the contact-center queues, carried it; Salesforce got nothing back
        assertThat(SALESFORCE.upserts(key)).isEmpty();
        assertThat(platformWrites(key)).hasSize(1);
    }

    @Test
    void whileSalesforceIsDownTheConsumerPausesTheQueueHoldsAndEveryChangeIsAppliedOnceAfter() throws Exception {
        SALESFORCE.server().stubFor(patch(urlPathMatching(FakeSalesforce.API + "/sobjects/.+")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String key = "E2E-DOWN-" + RUN + "-" + i;
            keys.add(key);
            assertThat(client.postDemo(WebhookClient.newEventId(), contactEvent(key, 1, null, key.toLowerCase() + "@example.com"))
                    .statusCode()).isEqualTo(200);
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> routeStatus() == ServiceStatus.Suspended);
        // operators see the paused lane beside its queue
        assertThat(admin("GET", "/admin/queues").body())
                .contains("{\"route\":\"record-sync-contact-center\",\"status\":\"Suspended\"");
        assertThat(admin("GET", "/admin/circuits").body()).containsPattern("\"name\":\"crm-salesforce\",\"state\":\"(OPEN|HALF_OPEN)\"");
        // only the lane that writes to Salesforce waits; CRM changes keep flowing
        assertThat(camel.getRouteController().getRouteStatus("record-sync-crm")).isEqualTo(ServiceStatus.Started);
        // the changes wait in the broker's queue, no consumer attached, none dead-lettered
        await().atMost(Duration.ofSeconds(10)).until(() -> queues.depth(BrokerTopology.DIGITAL_QUEUE) == keys.size());
        assertThat(amqpAdmin.getQueueInfo(BrokerTopology.DIGITAL_QUEUE).getConsumerCount()).isZero();
        assertThat(queues.depth(BrokerTopology.DEAD_LETTER_QUEUE)).isZero();

        SALESFORCE.reset(); // back up: 201 for every upsert, request journal cleared

        await().atMost(BREAKER_OPEN.plusSeconds(25)).until(() -> keys.stream()
                .allMatch(key -> SALESFORCE.upserts(key).size() == 1));
        assertThat(routeStatus()).isEqualTo(ServiceStatus.Started);
        assertThat(queues.depth(BrokerTopology.DIGITAL_QUEUE)).isZero();
        // nothing more arrives: each change exactly once at the CRM after recovery
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> SALESFORCE.upsertCount() == keys.size());
    }

    @Test
    void anEventsFateTellsItsDeliveriesItsDecisionAndItsWriteButNotItsBody() throws Exception {
        String key = "E2E-FATE-" + RUN;
        String id = WebhookClient.newEventId();
        String body = contactEvent(key, 1, "(202) 555-0143", "fate@example.com");
        assertThat(client.postDemo(id, body).body()).contains("ACCEPTED");
        await().atMost(Duration.ofSeconds(20)).until(() -> states.find("Contact", key).isPresent());
        assertThat(client.postDemo(id, body).body()).contains("DUPLICATE");

        JsonNode fate = awaitFate(id, "DUPLICATE");

        assertThat(stages(fate)).containsExactly("RECEIVED", "PUBLISHED", "SYNCED", "DUPLICATE");
        JsonNode received = fate.get("story").get(0);
        assertThat(received.get("type").asText()).isEqualTo("contact.updated");
        assertThat(received.get("channel").asText()).isEqualTo("digital");
        assertThat(received.get("payloadHash").asText()).isEqualTo(sha256(body));
        assertThat(received.get("reply").asText()).isEqualTo("200 ACCEPTED");
        assertThat(fate.get("story").get(1).get("queue").asText()).isEqualTo(BrokerTopology.DIGITAL_QUEUE);
        JsonNode synced = fate.get("story").get(2);
        assertThat(synced.get("status").asText()).isEqualTo("RESOLVED");
        assertThat(synced.get("recordKey").asText()).isEqualTo(key);
        assertThat(synced.get("version").asLong()).isEqualTo(1);
        JsonNode write = synced.get("writes").get(0);
        assertThat(write.get("target").asText()).isEqualTo("salesforce");
        assertThat(write.get("fencingToken").asLong()).isEqualTo(states.find("Contact", key).orElseThrow().fenceToken());
        assertThat(fate.get("story").get(3).get("reply").asText()).isEqualTo("200 DUPLICATE");
        // the story names the payload by its hash; the customer's data stays out of it
        assertThat(fate.toString()).doesNotContain("fate@example.com").doesNotContain("555-0143");

        HttpResponse<String> byRecord = admin("GET", "/admin/events?recordKey=" + key);
        assertThat(byRecord.body()).contains("\"eventId\":\"" + id + "\"");
        assertThat(admin("GET", "/admin/events/demo/no-such-event").statusCode()).isEqualTo(404);
    }

    @Test
    void anInvalidValuesReviewItemAndItsDecisionShowInTheEventsFate() throws Exception {
        String key = "E2E-FATE-REVIEW-" + RUN;
        String id = WebhookClient.newEventId();
        assertThat(client.postDemo(id, contactEvent(key, 1, "not a phone", "review@example.com")).statusCode())
                .isEqualTo(200);

        JsonNode fate = awaitFate(id, "SYNCED");
        JsonNode synced = fate.get("story").get(2);
        assertThat(synced.get("status").asText()).isEqualTo("INVALID");
        JsonNode review = synced.get("review");
        assertThat(review.get("kind").asText()).isEqualTo("INVALID");
        assertThat(review.get("state").asText()).isEqualTo("OPEN");

        HttpResponse<String> decided = admin("POST", "/admin/sync/reviews/" + review.get("id").asLong() + "/decision",
                "{\"take\":\"merged\",\"fields\":{\"phone\":\"+12025550143\",\"email\":\"review@example.com\"},"
                        + "\"decidedBy\":\"ops-1\"}");
        assertThat(decided.statusCode()).isEqualTo(200);

        JsonNode after = new ObjectMapper().readTree(admin("GET", "/admin/events/demo/" + id).body());
        JsonNode decision = after.get("story").get(2).get("review");
        assertThat(decision.get("state").asText()).isEqualTo("DECIDED");
        assertThat(decision.get("decision").asText()).isEqualTo("MERGED");
        assertThat(decision.get("decidedBy").asText()).isEqualTo("ops-1");
    }

    @Test
    void aRejectedChangeIsDeadLetteredWithItsErrorAndCanBeReplayed() throws Exception {
        SALESFORCE.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + "E2E-DLQ-" + RUN)).atPriority(1)
                .willReturn(FakeSalesforce.error(400, "INVALID_FIELD", "No such column 'Last_Disposition__c'")));
        String id = WebhookClient.newEventId();
        assertThat(client.postDemo(id, contactEvent("E2E-DLQ-" + RUN, 1, null, "dlq@example.com"))
                .statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).until(() -> queues.depth(BrokerTopology.DEAD_LETTER_QUEUE) == 1);
        assertThat(SALESFORCE.upserts("E2E-DLQ-" + RUN)).hasSize(1);
        Message dead = rabbitTemplate.receive(BrokerTopology.DEAD_LETTER_QUEUE, 1000);
        Map<String, Object> headers = dead.getMessageProperties().getHeaders();
        assertThat(headers.get(DeadLetterProcessor.ERROR_HEADER).toString()).contains("INVALID_FIELD");
        assertThat(headers.get(DeadLetterProcessor.ATTEMPTS_HEADER)).isEqualTo(1);
        assertThat(headers).containsKeys(DeadLetterProcessor.FIRST_SEEN_HEADER, DeadLetterProcessor.ROUTING_KEY_HEADER);
        assertThat(headers.get(DeadLetterProcessor.ROUTE_HEADER)).isEqualTo("record-sync-contact-center");
        rabbitTemplate.send(BrokerTopology.DEAD_LETTER_QUEUE, dead); // put it back for the replay
        // the console's view of it, on RabbitMQ: listed and inspected, and still there afterwards
        await().atMost(Duration.ofSeconds(5)).until(() -> queues.depth(BrokerTopology.DEAD_LETTER_QUEUE) == 1);
        JsonNode listed = new ObjectMapper().readTree(admin("GET", "/admin/dlq").body()).get("messages");
        assertThat(listed.findValuesAsText("messageId")).containsExactly("demo:" + id);
        assertThat(listed.get(0).get("error").asText()).contains("INVALID_FIELD");
        HttpResponse<String> inspected = admin("GET", "/admin/dlq/demo:" + id);
        assertThat(inspected.statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(inspected.body()).get("body").asText()).contains("dlq@example.com");
        assertThat(queues.depth(BrokerTopology.DEAD_LETTER_QUEUE)).isEqualTo(1);

        SALESFORCE.reset(); // the field exists now
        HttpResponse<String> replay = admin("POST", "/admin/dlq/replay?limit=10");
        assertThat(replay.statusCode()).isEqualTo(200);
        assertThat(replay.body()).contains("\"replayed\":1");

        await().atMost(Duration.ofSeconds(20)).until(() -> SALESFORCE.upserts("E2E-DLQ-" + RUN).size() == 1);
        assertThat(queues.depth(BrokerTopology.DEAD_LETTER_QUEUE)).isZero();

        JsonNode fate = awaitFate(id, "SYNCED");
        assertThat(stages(fate)).containsExactly("RECEIVED", "PUBLISHED", "DEAD_LETTERED", "REPLAYED", "SYNCED");
        JsonNode deadLettered = fate.get("story").get(2);
        assertThat(deadLettered.get("error").asText()).contains("INVALID_FIELD");
        assertThat(deadLettered.get("attempts").asInt()).isEqualTo(1);
        assertThat(deadLettered.get("route").asText()).isEqualTo("record-sync-contact-center");
        assertThat(fate.get("story").get(4).get("status").asText()).isEqualTo("RESOLVED");
    }

    /** The event's fate once its story holds {@code stage}: the journal writes a moment after the step. */
    private JsonNode awaitFate(String eventId, String stage) throws Exception {
        JsonNode[] fate = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            HttpResponse<String> reply = admin("GET", "/admin/events/demo/" + eventId);
            fate[0] = reply.statusCode() == 200 ? new ObjectMapper().readTree(reply.body()) : null;
            return fate[0] != null && stages(fate[0]).contains(stage);
        });
        return fate[0];
    }

    private static List<String> stages(JsonNode fate) {
        List<String> stages = new ArrayList<>();
        fate.get("story").forEach(step -> stages.add(step.get("stage").asText()));
        return stages;
    }

    private static String sha256(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<LoggedRequest> platformWrites(String recordKey) {
        return PLATFORM.findAll(patchRequestedFor(urlEqualTo("/api/v2/externalcontacts/contacts/" + recordKey)));
    }

    private ServiceStatus routeStatus() {
        return camel.getRouteController().getRouteStatus("record-sync-contact-center");
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Admin-Token", ADMIN_TOKEN).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String path, String json) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Admin-Token", ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String contactEvent(String contactId, long version, String phone, String email) {
        return "{\"type\":\"contact.updated\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"data\":{\"channel\":\"digital\","
                + "\"contactId\":\"" + contactId + "\",\"version\":" + version
                + (phone == null ? "" : ",\"phone\":\"" + phone + "\"") + ",\"email\":\"" + email + "\"}}";
    }
}
