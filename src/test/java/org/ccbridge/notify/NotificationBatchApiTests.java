package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.ccbridge.support.EmbeddedModeTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** POST /notifications:batch answers each item as POST /notifications would answer it alone. */
class NotificationBatchApiTests extends EmbeddedModeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Autowired
    private JdbcTemplate jdbc;

    @Test
    void eachItemIsOneNotificationAndTheRetriedBatchIsAnsweredWithTheSameIds() throws Exception {
        ArrayNode items = JSON.createArrayNode();
        for (int i = 0; i < 3; i++) {
            items.add(item(run + "-" + i, "cust-" + run + "-" + i, "(202) 555-014" + i));
        }

        JsonNode first = results(post(items));
        JsonNode retry = results(post(items));

        for (int i = 0; i < 3; i++) {
            assertThat(first.get(i).get("index").asInt()).isEqualTo(i);
            assertThat(first.get(i).get("status").asInt()).isEqualTo(202);
            assertThat(first.get(i).get("replayed").asBoolean()).isFalse();
            assertThat(retry.get(i).get("status").asInt()).isEqualTo(202);
            assertThat(retry.get(i).get("replayed").asBoolean()).isTrue();
            assertThat(retry.get(i).get("id").asText()).isEqualTo(first.get(i).get("id").asText());
            String id = first.get(i).get("id").asText();
            assertThat(jdbc.queryForObject("SELECT recipient FROM ccbridge_notifications WHERE id = ?", String.class, id))
                    .isEqualTo("+1202555014" + i);
            assertThat(jdbc.queryForObject("SELECT status FROM ccbridge_outbox WHERE notification_id = ?", String.class, id))
                    .isEqualTo("PENDING");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications WHERE idempotency_key LIKE ?",
                Integer.class, run + "-%")).isEqualTo(3);
    }

    @Test
    void eachItemGetsTheAnswerItWouldGetAloneAndOnlyTheGoodOnesAreStored() throws Exception {
        String customer = "cust-" + run;
        // a key this customer used before, through the single endpoint, with another request
        HttpResponse<String> earlier = single(run + "-earlier", item(run + "-earlier", customer, "(202) 555-0100"));
        assertThat(earlier.statusCode()).isEqualTo(202);

        ArrayNode items = JSON.createArrayNode();
        items.add(item(run + "-a", customer, "(202) 555-0143"));                        // 0: accepted
        items.add(item(run + "-b", customer, "zz-4711-qq"));                            // 1: invalid
        items.add(item(null, customer, "(202) 555-0143"));                             // 2: no key
        items.add(item(run + "-a", customer, "(202) 555-0143"));                        // 3: item 0 again
        items.add(item(run + "-a", customer, "(202) 555-0199"));                        // 4: item 0's key, another request
        items.add(item(run + "-earlier", customer, "(202) 555-0111"));                  // 5: an earlier key, another request
        items.add(item(run + "-c", customer, "(202) 555-0144").put("template", " "));   // 6: neither template nor body

        JsonNode results = results(post(items));

        assertThat(results.get(0).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(1).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(1).get("detail").asText()).contains("recipient");
        assertThat(results.get(2).get("status").asInt()).isEqualTo(400);
        assertThat(results.get(2).get("detail").asText()).contains("idempotencyKey");
        assertThat(results.get(3).get("status").asInt()).isEqualTo(202);
        assertThat(results.get(3).get("replayed").asBoolean()).isTrue();
        assertThat(results.get(3).get("id").asText()).isEqualTo(results.get(0).get("id").asText());
        assertThat(results.get(4).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(5).get("status").asInt()).isEqualTo(422);
        assertThat(results.get(6).get("status").asInt()).isEqualTo(400);
        // the refusals name what is wrong, never the recipient
        assertThat(results.toString()).doesNotContain("555-0199").doesNotContain("zz-4711-qq");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications WHERE customer_id = ?",
                Integer.class, customer)).isEqualTo(2);
    }

    @Test
    void aBatchThatIsEmptyTooLongOrNotJsonIsRefusedAsAWhole() throws Exception {
        ArrayNode tooMany = JSON.createArrayNode();
        for (int i = 0; i <= NotificationController.MAX_BATCH; i++) {
            tooMany.add(item(run + "-" + i, "cust-" + run, "(202) 555-0143"));
        }
        for (String body : List.of("{\"notifications\":[]}", "{}", "not json", JSON.createObjectNode()
                .set("notifications", tooMany).toString())) {
            HttpResponse<String> refused = send(body, true);
            assertThat(refused.statusCode()).as(body.length() > 40 ? "501 items" : body).isEqualTo(400);
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/problem+json"));
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications WHERE customer_id = ?",
                Integer.class, "cust-" + run)).isZero();
    }

    @Test
    void aBatchNeedsTheNotificationsScope() throws Exception {
        ArrayNode items = JSON.createArrayNode().add(item(run, "cust-" + run, "(202) 555-0143"));

        assertThat(send(JSON.createObjectNode().set("notifications", items).toString(), false).statusCode())
                .isEqualTo(401);
    }

    private ObjectNode item(String key, String customer, String recipient) {
        ObjectNode item = JSON.createObjectNode();
        if (key != null) {
            item.put("idempotencyKey", key);
        }
        return item.put("channel", "sms").put("recipient", recipient).put("template", "reminder")
                .put("customerId", customer).put("messageType", "appointment-reminder").put("businessReference", "case-9");
    }

    private JsonNode results(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("results");
    }

    private HttpResponse<String> post(ArrayNode items) throws Exception {
        return send(JSON.createObjectNode().set("notifications", items).toString(), true);
    }

    private HttpResponse<String> send(String body, boolean authenticated) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notifications:batch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (authenticated) {
            request.header("Authorization", "Bearer " + DEV_API_KEY);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> single(String key, ObjectNode item) throws Exception {
        ObjectNode request = item.deepCopy();
        request.remove("idempotencyKey");
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/notifications"))
                .header("Authorization", "Bearer " + DEV_API_KEY).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(request.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
