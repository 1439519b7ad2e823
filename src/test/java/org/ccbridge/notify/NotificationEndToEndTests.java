package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ccbridge.support.ApiClient;
import org.ccbridge.support.FakeNotificationProvider;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * From {@code POST /notifications} to a provider that deduplicates by key, in the prod profile:
 * the Idempotency-Key claim in Redis, the outbox, ledger and dedup windows in PostgreSQL, and the
 * relay running as it does in production.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
// its relay must not outlive the class: other tests relay the shared outbox to fakes of their own
@DirtiesContext
class NotificationEndToEndTests extends ProductionModeTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "notify-e2e-api-key";
    private static final FakeNotificationProvider PROVIDER = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
    /** Dedup windows are per customer and live on in the shared database: customers of this run only. */
    private static final String RUN = UUID.randomUUID().toString();

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port());
        PROVIDER.registerAsSmsProvider(registry, API_KEY);
    }

    @Test
    void everyCircuitBreakerIsInTheMetrics() {
        String scrape = client.get("/actuator/prometheus").body();

        assertThat(scrape).containsPattern(
                "resilience4j_circuitbreaker_state\\{[^}]*name=\"notify-sms-provider\"[^}]*state=\"closed\"[^}]*} 1\\.0")
                .containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"dedup-store\"[^}]*state=\"closed\"[^}]*} 1\\.0")
                .containsPattern("resilience4j_circuitbreaker_failure_rate\\{[^}]*name=\"notify-sms-provider\"");
    }

    @Test
    void aRetriedRequestIsOneNotificationAndOneDelivery() throws Exception {
        ApiClient api = new ApiClient(port, API_KEY);
        String key = "reminder-" + UUID.randomUUID();
        String request = request(RUN + "-retried", "case-1");

        HttpResponse<String> first = api.sendWithHeaders("POST", "/notifications", request, Map.of("Idempotency-Key", key));
        HttpResponse<String> retry = api.sendWithHeaders("POST", "/notifications", request, Map.of("Idempotency-Key", key));

        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(retry.statusCode()).isEqualTo(202);
        String id = JSON.readTree(first.body()).get("id").asText();
        assertThat(JSON.readTree(retry.body()).get("id").asText()).isEqualTo(id);
        JsonNode sent = awaitStatus(api, id, "SENT");
        assertThat(sent.at("/deliveries/0/provider").asText()).isEqualTo("sms-provider");
        assertThat(sent.at("/deliveries/0/outcome").asText()).isEqualTo("ACCEPTED");
        Thread.sleep(300); // a second send would be on its way now
        assertThat(PROVIDER.deliveries(id)).isEqualTo(1);
        assertThat(PROVIDER.requestsFor(List.of(id))).hasSize(1);
    }

    @Test
    void theSameBusinessEventTwiceIsSentOnceAndTheSecondSuppressed() throws Exception {
        ApiClient api = new ApiClient(port, API_KEY);
        String customer = RUN + "-twice";
        // two deliveries of one business event that the caller turned into two keys
        String first = JSON.readTree(api.sendWithHeaders("POST", "/notifications", request(customer, "case-2"),
                Map.of("Idempotency-Key", "event-a-" + UUID.randomUUID())).body()).get("id").asText();
        awaitStatus(api, first, "SENT");
        String second = JSON.readTree(api.sendWithHeaders("POST", "/notifications", request(customer, "case-2"),
                Map.of("Idempotency-Key", "event-b-" + UUID.randomUUID())).body()).get("id").asText();

        JsonNode suppressed = awaitStatus(api, second, "SUPPRESSED");
        assertThat(suppressed.get("suppressedBy").asText()).isEqualTo(first);
        assertThat(suppressed.get("deliveries")).isEmpty();
        assertThat(PROVIDER.deliveries(second)).isZero();
        assertThat(PROVIDER.deliveries(first)).isEqualTo(1);
    }

    private static String request(String customer, String reference) {
        return "{\"channel\":\"sms\",\"recipient\":\"+1 202 555 0143\",\"body\":\"Your appointment is tomorrow\","
                + "\"customerId\":\"" + customer + "\",\"messageType\":\"appointment-reminder\","
                + "\"businessReference\":\"" + reference + "\"}";
    }

    private static JsonNode awaitStatus(ApiClient api, String id, String status) throws Exception {
        JsonNode view = null;
        for (int i = 0; i < 100; i++) {
            view = JSON.readTree(api.send("GET", "/notifications/" + id, null).body());
            if (view.get("status").asText().equals(status)) {
                return view;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("notification " + id + " never became " + status + ": " + view);
    }
}
