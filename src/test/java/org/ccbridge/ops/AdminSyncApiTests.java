package org.ccbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.sync.RecordState;
import org.ccbridge.sync.ReviewItem;
import org.ccbridge.sync.ReviewQueue;
import org.ccbridge.sync.SyncSystem;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The review queue and record state through the admin API, as an operator uses them. */
class AdminSyncApiTests extends EmbeddedModeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    private ReviewQueue reviews;

    private String key;
    private long id;

    @BeforeEach
    void parkedChange() {
        key = "ADM-" + UUID.randomUUID();
        id = reviews.add("Contact", key, ReviewItem.Kind.INVALID, "field phone: not a valid phone number",
                RecordState.empty("Contact", key), Map.of("phone", "555-12", "email", "a@example.com"), 3L,
                SyncSystem.CONTACT_CENTER, "evt-1", Instant.now());
    }

    @Test
    void openItemsAreListedAndShownWithBothSides() throws Exception {
        JsonNode list = JSON.readTree(send("GET", "/admin/sync/reviews?limit=500", null).body());
        assertThat(list.get("items").findValuesAsText("recordKey")).contains(key);
        HttpResponse<String> one = send("GET", "/admin/sync/reviews/" + id, null);
        assertThat(one.statusCode()).isEqualTo(200);
        JsonNode item = JSON.readTree(one.body());
        assertThat(item.get("kind").asText()).isEqualTo("INVALID");
        assertThat(item.get("incomingFields").get("phone").asText()).isEqualTo("555-12");
        assertThat(send("GET", "/admin/sync/reviews/999999999", null).statusCode()).isEqualTo(404);
    }

    @Test
    void aDecisionIsValidatedAppliedOnceAndVisibleOnTheRecord() throws Exception {
        HttpResponse<String> unknownTake = send("POST", "/admin/sync/reviews/" + id + "/decision", "{\"take\":\"both\"}");
        assertThat(unknownTake.statusCode()).isEqualTo(400);
        assertThat(unknownTake.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));

        // taking the incoming side of an INVALID item re-validates it: still not a phone number
        HttpResponse<String> stillInvalid = send("POST", "/admin/sync/reviews/" + id + "/decision", "{\"take\":\"incoming\"}");
        assertThat(stillInvalid.statusCode()).isEqualTo(422);
        assertThat(stillInvalid.body()).contains("field phone").doesNotContain("555-12");

        HttpResponse<String> merged = send("POST", "/admin/sync/reviews/" + id + "/decision",
                "{\"take\":\"merged\",\"fields\":{\"phone\":\"(202) 555-0143\",\"email\":\"A@Example.com\"},"
                        + "\"decidedBy\":\"jane.ops\"}");
        assertThat(merged.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(merged.body());
        assertThat(answer.get("review").get("state").asText()).isEqualTo("DECIDED");
        assertThat(answer.get("record").get("fields").get("phone").asText()).isEqualTo("+12025550143");
        assertThat(answer.get("record").get("fields").get("email").asText()).isEqualTo("a@example.com");
        assertThat(answer.get("record").get("status").asText()).isEqualTo("RESOLVED");

        assertThat(send("POST", "/admin/sync/reviews/" + id + "/decision", "{\"take\":\"stored\"}").statusCode())
                .isEqualTo(409);
        JsonNode record = JSON.readTree(send("GET", "/admin/sync/records/Contact/" + key, null).body());
        assertThat(record.get("version").asLong()).isEqualTo(1);
        JsonNode resolved = JSON.readTree(send("GET", "/admin/sync/records?status=RESOLVED&limit=500", null).body());
        assertThat(resolved.get("records").findValuesAsText("recordKey")).contains(key);
    }

    @Test
    void anUnknownFieldInAMergedDecisionIsABadRequest() throws Exception {
        HttpResponse<String> reply = send("POST", "/admin/sync/reviews/" + id + "/decision",
                "{\"take\":\"merged\",\"fields\":{\"shoeSize\":\"44\"}}");
        assertThat(reply.statusCode()).isEqualTo(400);
        assertThat(reply.body()).contains("shoeSize");
        assertThat(send("GET", "/admin/sync/records?status=NOPE", null).statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("X-Admin-Token", ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
