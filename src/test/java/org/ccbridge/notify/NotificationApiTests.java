package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** POST /notifications and direct:notify write a notification and its outbox row, once per key. */
class NotificationApiTests extends EmbeddedModeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The embedded default's published development client key (README). */
    private static final String DEV_KEY = DEV_API_KEY;
    private static final String REQUEST = "{\"channel\":\"sms\",\"recipient\":\"(202) 555-0143\",\"template\":\"reminder\","
            + "\"customerId\":\"cust-1\",\"messageType\":\"appointment-reminder\",\"businessReference\":\"case-9\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private JdbcTemplate jdbc;

    @Autowired
    private IdempotencyStore keys;

    @Autowired
    private CamelContext camel;

    @Autowired
    private ProducerTemplate producer;

    @Autowired
    private OutboxRelay relay;

    @Test
    void aRetriedRequestIsOneNotificationWithOneOutboxRow() throws Exception {
        String key = "notify-" + UUID.randomUUID();
        HttpResponse<String> first = post(key, REQUEST);
        HttpResponse<String> retry = post(key, REQUEST);

        assertThat(first.statusCode()).isEqualTo(202);
        String id = JSON.readTree(first.body()).get("id").asText();
        assertThat(retry.statusCode()).isEqualTo(202);
        assertThat(JSON.readTree(retry.body()).get("id").asText()).isEqualTo(id);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications WHERE idempotency_key = ?",
                Integer.class, key)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT recipient FROM ccbridge_notifications WHERE id = ?", String.class, id))
                .isEqualTo("+12025550143");
        assertThat(jdbc.queryForObject("SELECT status FROM ccbridge_outbox WHERE notification_id = ?", String.class, id))
                .isEqualTo("PENDING");
    }

    @Test
    void theKeyWithAnotherRequestIs422AndWhileTheFirstIsInFlight409() throws Exception {
        String key = "notify-" + UUID.randomUUID();
        assertThat(post(key, REQUEST).statusCode()).isEqualTo(202);
        HttpResponse<String> other = post(key, REQUEST.replace("case-9", "case-10"));
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));

        // another request holds the claim of this key right now
        String busy = "notify-" + UUID.randomUUID();
        NotificationRequest valid = new NotificationRequest("sms", "+12025550143", "reminder", null, "cust-1",
                "appointment-reminder", "case-9");
        keys.claim(NotificationService.scopedKey("dev", valid, busy), NotificationOutbox.hash(valid), Duration.ofSeconds(30));
        HttpResponse<String> inFlight = post(busy, REQUEST);
        assertThat(inFlight.statusCode()).isEqualTo(409);
        assertThat(inFlight.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void concurrentRequestsAndTheirConcurrentRetriesAreOneNotificationEach() throws Exception {
        // accepted together in gathered batches: each request still gets its own answer
        String run = "together-" + UUID.randomUUID();
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(32);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String key = run + "-" + (i % 30); // every key sent twice at about the same time
                String request = REQUEST.replace("cust-1", run + "-" + (i % 30));
                answers.add(senders.submit(() -> post(key, request)));
            }
            Map<String, String> idOfKey = new java.util.HashMap<>();
            for (int i = 0; i < 60; i++) {
                HttpResponse<String> answer = answers.get(i).get();
                if (answer.statusCode() == 409) {
                    continue; // the twin was still being accepted in another batch: the platform retries
                }
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                String id = JSON.readTree(answer.body()).get("id").asText();
                assertThat(idOfKey.putIfAbsent(run + "-" + (i % 30), id)).isIn(null, id);
            }
            assertThat(idOfKey).hasSize(30);
        } finally {
            senders.shutdownNow();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications WHERE idempotency_key LIKE ?",
                Integer.class, run + "-%")).isEqualTo(30);
    }

    @Test
    void twoCustomersTransactionsThatShareAKeyAreTwoNotifications() throws Exception {
        String key = "order-" + UUID.randomUUID(); // e.g. an order number two tenants both use
        HttpResponse<String> first = post(key, REQUEST);
        HttpResponse<String> second = post(key, REQUEST.replace("cust-1", "cust-2"));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(second.statusCode()).isEqualTo(202);
        assertThat(second.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(JSON.readTree(second.body()).get("id").asText()).isNotEqualTo(JSON.readTree(first.body()).get("id").asText());
        assertThat(count(key)).isEqualTo(2);
        // a retry of either is still that one
        assertThat(post(key, REQUEST.replace("cust-1", "cust-2")).headers().firstValue("Idempotent-Replayed")).hasValue("true");
    }

    @Test
    void aNotificationShowsWhereItStands() throws Exception {
        String id = JSON.readTree(post("notify-" + UUID.randomUUID(), REQUEST).body()).get("id").asText();

        HttpResponse<String> shown = get("/notifications/" + id, true);
        assertThat(shown.statusCode()).isEqualTo(200);
        JsonNode view = JSON.readTree(shown.body());
        assertThat(view.get("status").asText()).isEqualTo("PENDING");
        assertThat(view.get("messageType").asText()).isEqualTo("appointment-reminder");
        assertThat(view.get("deliveries")).isEmpty();
        assertThat(shown.body()).doesNotContain("+12025550143");

        HttpResponse<String> unknown = get("/notifications/" + UUID.randomUUID(), true);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    void failedNotificationsAreListedAndSentAgainThroughTheAdminApi() throws Exception {
        String id = JSON.readTree(post("notify-" + UUID.randomUUID(), REQUEST).body()).get("id").asText();
        // the embedded default configures no provider: the relay fails the row, visibly
        for (int i = 0; i < 50 && relay.relayOnce() > 0 && !"FAILED".equals(jdbc.queryForObject(
                "SELECT status FROM ccbridge_outbox WHERE notification_id = ?", String.class, id)); i++) {
            // the next batch
        }

        HttpResponse<String> failed = get("/admin/notifications?status=FAILED&limit=500", false);
        assertThat(failed.statusCode()).isEqualTo(200);
        JsonNode listed = null;
        for (JsonNode notification : JSON.readTree(failed.body()).get("notifications")) {
            listed = notification.get("id").asText().equals(id) ? notification : listed;
        }
        assertThat(listed).isNotNull();
        assertThat(listed.get("lastError").asText()).contains("no provider configured for channel sms");
        assertThat(listed.get("attempts").asInt()).isEqualTo(1);

        HttpResponse<String> retried = retryAsOperator(id);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(retried.body()).get("status").asText()).isEqualTo("PENDING");
        assertThat(JSON.readTree(retried.body()).get("attempts").asInt()).isZero();
        HttpResponse<String> again = retryAsOperator(id);
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(get("/admin/notifications?status=LOST", false).statusCode()).isEqualTo(400);
    }

    @Test
    void aNotificationSentForAnEventJoinsThatEventsFateOnceWhetherFromTheApiOrARoute() throws Exception {
        String eventId = "evt-" + UUID.randomUUID();
        String key = "notify-" + UUID.randomUUID();
        HttpResponse<String> first = post(key, REQUEST, "genesys/" + eventId);
        post(key, REQUEST, "genesys/" + eventId); // a retry: the same notification, told once
        String fromApi = JSON.readTree(first.body()).get("id").asText();
        Exchange routed = producer.request("direct:notify", exchange -> {
            exchange.getMessage().setBody(REQUEST.replace("case-9", "case-routed"));
            exchange.getMessage().setHeader("Idempotency-Key", "route-" + eventId);
            exchange.getMessage().setHeader("ccbridge-source", "genesys");
            exchange.getMessage().setHeader("ccbridge-event-id", eventId);
        });
        String fromRoute = routed.getMessage().getHeader(NotificationEnqueueSteps.ID_HEADER, String.class);

        JsonNode[] fate = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            HttpResponse<String> reply = get("/admin/events/genesys/" + eventId, false);
            fate[0] = reply.statusCode() == 200 ? JSON.readTree(reply.body()) : null;
            return fate[0] != null && fate[0].get("story").size() == 2;
        });
        List<String> told = new ArrayList<>();
        for (JsonNode step : fate[0].get("story")) {
            assertThat(step.get("stage").asText()).isEqualTo("NOTIFICATION");
            told.add(step.get("notification").get("id").asText());
            assertThat(step.get("notification").get("status").asText()).isIn("PENDING", "SENT", "FAILED");
        }
        assertThat(told).containsExactly(fromApi, fromRoute);
    }

    @Test
    void aMalformedCausingEventIs400AndNothingIsStored() throws Exception {
        for (String bad : new String[] {"no-slash", "/only-id", "genesys/", "bad source/e1", "genesys/" + "e".repeat(191)}) {
            String key = "k-" + UUID.randomUUID();
            HttpResponse<String> reply = post(key, REQUEST, bad);
            assertThat(reply.statusCode()).as(bad).isEqualTo(400);
            assertThat(reply.body()).contains("Ccbridge-Event must be {source}/{eventId}");
            assertThat(count(key)).isZero();
        }
    }

    @Test
    void overLongOrControlCharacterFieldsAre400NamingTheFieldNotA503() throws Exception {
        String longValue = "v".repeat(400);
        Map<String, String> fields = Map.of("\"cust-1\"", "customerId", "\"appointment-reminder\"", "messageType",
                "\"reminder\"", "template", "\"case-9\"", "businessReference", "\"(202) 555-0143\"", "recipient");
        for (Map.Entry<String, String> field : fields.entrySet()) {
            HttpResponse<String> reply = post("k-" + UUID.randomUUID(),
                    REQUEST.replace(field.getKey(), "\"" + longValue + "\""));
            assertThat(reply.statusCode()).as(field.getValue()).isEqualTo(400);
            assertThat(reply.body()).contains(field.getValue()).doesNotContain(longValue);
        }
        HttpResponse<String> forged = post("k-" + UUID.randomUUID(),
                REQUEST.replace("\"cust-1\"", "\"cust-1\\nforged\""));
        assertThat(forged.statusCode()).isEqualTo(400);
        assertThat(forged.body()).contains("customerId contains control characters");
        assertThat(post("k".repeat(256), REQUEST).statusCode()).isEqualTo(400);
    }

    @Test
    void badRequestsAreRefusedWithoutWritingAnything() throws Exception {
        assertThat(post(null, REQUEST).statusCode()).isEqualTo(400);
        HttpResponse<String> badPhone = post("k-" + UUID.randomUUID(), REQUEST.replace("(202) 555-0143", "555-12"));
        assertThat(badPhone.statusCode()).isEqualTo(400);
        assertThat(badPhone.body()).contains("recipient").doesNotContain("555-12");
        assertThat(post("k-" + UUID.randomUUID(), REQUEST.replace("\"sms\"", "\"fax\"")).statusCode()).isEqualTo(400);
        assertThat(post("k-" + UUID.randomUUID(), REQUEST.replace("\"template\":\"reminder\"",
                "\"template\":\"reminder\",\"body\":\"both\"")).statusCode()).isEqualTo(400);
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/notifications")).header("Content-Type", "application/json").header("Idempotency-Key", "k")
                .POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void aRouteEnqueuesInsideItsOwnTransaction() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:test-transacted-caller").routeId("test-transacted-caller").transacted()
                        .to("direct:notify")
                        .filter(header("fail")).throwException(new IllegalStateException("caller failed after enqueue"));
            }
        });
        String committed = "route-" + UUID.randomUUID();
        Map<String, Object> request = JSON.readValue(REQUEST, Map.class);
        Exchange done = producer.send("direct:test-transacted-caller", exchange -> {
            exchange.getMessage().setBody(request);
            exchange.getMessage().setHeader("Idempotency-Key", committed);
        });
        assertThat(count(committed)).isEqualTo(1);
        // the caller keeps its body and learns the notification's id
        assertThat(done.getMessage().getBody()).isEqualTo(request);
        assertThat(done.getMessage().getHeader(NotificationEnqueueSteps.ID_HEADER, String.class)).isEqualTo(jdbc
                .queryForObject("SELECT id FROM ccbridge_notifications WHERE idempotency_key = ?", String.class, committed));

        String rolledBack = "route-" + UUID.randomUUID();
        assertThatThrownBy(() -> producer.requestBodyAndHeaders("direct:test-transacted-caller", request,
                Map.of("Idempotency-Key", rolledBack, "fail", true))).isInstanceOf(CamelExecutionException.class);
        assertThat(count(rolledBack)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_outbox o JOIN ccbridge_notifications n "
                + "ON n.id = o.notification_id WHERE n.idempotency_key = ?", Integer.class, rolledBack)).isZero();
    }

    private int count(String key) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications WHERE idempotency_key = ?", Integer.class, key);
    }

    private HttpResponse<String> retryAsOperator(String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/notifications/" + id
                        + "/retry")).header("X-Admin-Token", ADMIN_TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, boolean asClient) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (asClient) {
            request.header("Authorization", "Bearer " + DEV_KEY);
        } else {
            request.header("X-Admin-Token", ADMIN_TOKEN);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String key, String body) throws Exception {
        return post(key, body, null);
    }

    private HttpResponse<String> post(String key, String body, String causingEvent) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notifications"))
                .header("Authorization", "Bearer " + DEV_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        if (causingEvent != null) {
            request.header("Ccbridge-Event", causingEvent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
