package org.ccbridge.coordination;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.FakeCrm;
import org.ccbridge.support.RawHttp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway in the embedded default, in front of a fake CRM that answers like a REST API; its
 * targets are configured in {@link EmbeddedModeTestSupport}.
 */
class GatewayApiTests extends EmbeddedModeTestSupport {

    private static final WireMockServer CRM = FakeCrm.SERVER;
    private static final String DEV_KEY = DEV_API_KEY;

    private final String path = "/contacts/c-" + UUID.randomUUID();
    private final String key = "flow-run-" + UUID.randomUUID();

    @BeforeEach
    void resetCrm() {
        CRM.resetAll();
        CRM.stubFor(any(urlPathMatching("/api/contacts/.*")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withHeader("Location", "/contacts/42")
                .withHeader("X-Internal", "not replayed").withBody("{\"id\":42}")));
    }

    @Test
    void requestIsForwardedOnceAndItsResponseReplayedToTheRetry() {
        HttpResponse<String> first = call("/gateway/crm" + path, "{\"name\":\"Ada\"}", key, DEV_KEY);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).isEqualTo("{\"id\":42}");
        assertThat(first.headers().firstValue("Location")).hasValue("/contacts/42");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).hasValue("false");

        HttpResponse<String> retry = call("/gateway/crm" + path, "{\"name\":\"Ada\"}", key, DEV_KEY);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo("{\"id\":42}");
        assertThat(retry.headers().firstValue("Location")).hasValue("/contacts/42");
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");

        CRM.verify(1, postRequestedFor(urlEqualTo("/api" + path))
                .withHeader("Idempotency-Key", equalTo(key))
                .withHeader("X-Api-Key", equalTo("crm-api-key"))
                .withHeader("Content-Type", equalTo("application/json")));
    }

    @Test
    void sameKeyWithAnotherPayloadIs422() {
        call("/gateway/crm" + path, "{\"name\":\"Ada\"}", key, DEV_KEY);

        HttpResponse<String> reused = call("/gateway/crm" + path, "{\"name\":\"Grace\"}", key, DEV_KEY);

        assertThat(reused.statusCode()).isEqualTo(422);
        assertThat(reused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        CRM.verify(1, anyRequestedFor(urlEqualTo("/api" + path)));
    }

    @Test
    void retryWhileTheFirstRunsIs409WithRetryAfter() throws Exception {
        CRM.stubFor(post(urlEqualTo("/api" + path)).willReturn(aResponse().withStatus(201).withBody("{}")
                .withFixedDelay(1_500)));
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(
                () -> call("/gateway/crm" + path, "{}", key, DEV_KEY));
        Thread.sleep(400);

        HttpResponse<String> retry = call("/gateway/crm" + path, "{}", key, DEV_KEY);

        assertThat(retry.statusCode()).isEqualTo(409);
        assertThat(retry.headers().firstValue("Retry-After")).isPresent();
        assertThat(first.get().statusCode()).isEqualTo(201);
    }

    @Test
    void callerThatTimedOutGetsTheResponseOnItsRetryAndTheTargetSawOneRequest() throws Exception {
        CRM.stubFor(post(urlEqualTo("/api" + path)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":7}").withFixedDelay(1_500)));
        HttpRequest impatient = request("/gateway/crm" + path, "{}", key, DEV_KEY).timeout(Duration.ofMillis(500)).build();
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(impatient, HttpResponse.BodyHandlers.ofString()))
                .as("the flow's own timeout, the 504 it sees").hasMessageContaining("timed out");
        Thread.sleep(2_000);

        HttpResponse<String> retry = call("/gateway/crm" + path, "{}", key, DEV_KEY);

        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo("{\"id\":7}");
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        CRM.verify(1, postRequestedFor(urlEqualTo("/api" + path)));
    }

    @Test
    void targetServerErrorIsNotStoredSoTheRetryGoesThrough() {
        CRM.stubFor(post(urlEqualTo("/api" + path)).inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("recovered").willReturn(aResponse().withStatus(503).withBody("{\"error\":\"down\"}")));
        CRM.stubFor(post(urlEqualTo("/api" + path)).inScenario("outage").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":9}")));

        assertThat(call("/gateway/crm" + path, "{}", key, DEV_KEY).statusCode()).isEqualTo(503);
        HttpResponse<String> retry = call("/gateway/crm" + path, "{}", key, DEV_KEY);

        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        CRM.verify(2, postRequestedFor(urlEqualTo("/api" + path)));
    }

    @Test
    void targetSlowerThanItsTimeoutIs504AndTheRetryGoesThrough() {
        CRM.stubFor(post(urlEqualTo("/api" + path)).inScenario("slow").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("fast").willReturn(aResponse().withStatus(201).withBody("{}").withFixedDelay(4_000)));
        CRM.stubFor(post(urlEqualTo("/api" + path)).inScenario("slow").whenScenarioStateIs("fast")
                .willReturn(aResponse().withStatus(201).withBody("{\"id\":5}")));

        HttpResponse<String> timedOut = call("/gateway/crm" + path, "{}", key, DEV_KEY);
        assertThat(timedOut.statusCode()).isEqualTo(504);
        assertThat(timedOut.headers().firstValue("Retry-After")).isPresent();

        HttpResponse<String> retry = call("/gateway/crm" + path, "{}", key, DEV_KEY);
        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.body()).isEqualTo("{\"id\":5}");
    }

    @Test
    void unreachableTargetIs502AndNotStored() {
        HttpResponse<String> first = call("/gateway/down" + path, "{}", key, DEV_KEY);
        assertThat(first.statusCode()).isEqualTo(502);
        assertThat(first.body()).contains("\"status\":502");
        assertThat(call("/gateway/down" + path, "{}", key, DEV_KEY).statusCode())
                .as("the retry is tried again, not answered from a stored 502 or a 409").isEqualTo(502);
    }

    @Test
    void requestOverTheSizeLimitIs413AndNotForwarded() {
        HttpResponse<String> tooLarge = call("/gateway/crm" + path, "x".repeat(1024 * 1024 + 1), key, DEV_KEY);

        assertThat(tooLarge.statusCode()).isEqualTo(413);
        CRM.verify(0, anyRequestedFor(urlPathMatching("/api/.*")));
    }

    @Test
    void pathsThatClimbOutOfTheTargetAreRefused() {
        for (String climbing : new String[] {"/gateway/crm/contacts/../../admin", "/gateway/crm/./../admin",
                "/gateway/crm/%2e%2e/admin"}) {
            HttpResponse<String> response = call(climbing, "{}", key + climbing.length(), DEV_KEY);
            assertThat(response.statusCode()).as(climbing).isBetween(400, 404);
        }
        // ..%3B decodes to ..; which is no .. segment to a segment check, but is one to many servers
        for (String disguised : new String[] {"/gateway/crm/..%3B/admin", "/gateway/crm/..%3b/..%3b/admin",
                "/gateway/crm/a/..;/admin"}) {
            RawHttp.Reply reply = RawHttp.send(port, "POST", disguised, Map.of("Authorization", "Bearer " + DEV_KEY,
                    "Idempotency-Key", key + disguised.length()), "{}");
            assertThat(reply.status()).as(disguised).isEqualTo(400);
        }
        CRM.verify(0, anyRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void keysBelongToTheCallingClient() {
        call("/gateway/crm" + path, "{}", key, DEV_KEY);

        HttpResponse<String> other = call("/gateway/crm" + path, "{}", key, OTHER_CLIENT_KEY);

        assertThat(other.headers().firstValue("Idempotent-Replayed")).hasValue("false");
        CRM.verify(2, postRequestedFor(urlEqualTo("/api" + path)));
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingIsForwarded() {
        assertThat(call("/gateway/crm" + path, "{}", null, DEV_KEY).statusCode()).as("no key").isEqualTo(400);
        assertThat(call("/gateway/crm" + path, "{}", "k".repeat(256), DEV_KEY).statusCode()).as("long key").isEqualTo(400);
        assertThat(call("/gateway/nowhere" + path, "{}", key, DEV_KEY).statusCode()).isEqualTo(404);
        assertThat(call("/gateway/crm" + path, "{}", key, "wrong-key").statusCode()).isEqualTo(401);
        CRM.verify(0, anyRequestedFor(urlPathMatching("/api/.*")));
    }

    @Test
    void failingTargetOpensItsCircuitAndIsNotCalledWhileOpen() {
        CRM.stubFor(any(urlPathMatching("/flaky/.*")).willReturn(aResponse().withStatus(502)));

        assertThat(call("/gateway/flaky" + path, "{}", key + "-1", DEV_KEY).statusCode()).isEqualTo(502);
        assertThat(call("/gateway/flaky" + path, "{}", key + "-2", DEV_KEY).statusCode()).isEqualTo(502);
        HttpResponse<String> whileOpen = call("/gateway/flaky" + path, "{}", key + "-3", DEV_KEY);

        assertThat(whileOpen.statusCode()).isEqualTo(503);
        assertThat(whileOpen.headers().firstValue("Retry-After")).isPresent();
        CRM.verify(2, anyRequestedFor(urlPathMatching("/flaky/.*")));
        assertThat(call("/gateway/flaky" + path, "{}", key + "-3", DEV_KEY).statusCode())
                .as("the 503 was not stored: the retry is refused by the circuit again, not replayed").isEqualTo(503);
    }

    @Test
    void rateLimitedRequestIs429AndNotStored() throws InterruptedException {
        CRM.stubFor(any(urlPathMatching("/throttled/.*")).willReturn(aResponse().withStatus(200).withBody("{}")));

        assertThat(call("/gateway/throttled" + path, "{}", key + "-a", DEV_KEY).statusCode()).isEqualTo(200);
        String limitedKey = key + "-b";
        HttpResponse<String> limited = call("/gateway/throttled" + path, "{}", limitedKey, DEV_KEY);
        int forwarded = 1;
        if (limited.statusCode() == 200) {
            // the two calls fell on either side of the limiter's one-second refresh; the next one cannot
            forwarded++;
            limitedKey = key + "-c";
            limited = call("/gateway/throttled" + path, "{}", limitedKey, DEV_KEY);
        }
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).isPresent();
        Thread.sleep(1_100);

        assertThat(call("/gateway/throttled" + path, "{}", limitedKey, DEV_KEY).statusCode()).isEqualTo(200);
        CRM.verify(forwarded + 1, anyRequestedFor(urlPathMatching("/throttled/.*")));
    }

    private HttpResponse<String> call(String target, String json, String idempotencyKey, String apiKey) {
        try {
            return HttpClient.newHttpClient().send(request(target, json, idempotencyKey, apiKey).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest.Builder request(String target, String json, String idempotencyKey, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return request;
    }
}
