package org.ccbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.ccbridge.support.ApiClient;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The API contract at {@code /v3/api-docs}: who may read it, what it holds, and that it is the one
 * committed in {@code docs/api/openapi.json}, so that a change of an API shows in review as a
 * change of the contract. {@code -Dccbridge.api-contract.write=true} writes the served contract
 * there instead of comparing.
 */
class ApiContractTests extends EmbeddedModeTestSupport {

    private static final Path COMMITTED = Path.of("docs/api/openapi.json");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Test
    void readingTheContractTakesACredential() {
        assertThat(client.get("/v3/api-docs").statusCode()).isEqualTo(401);
        assertThat(new ApiClient(port, NO_SCOPE_KEY).send("GET", "/v3/api-docs", null).statusCode())
                .as("any API key, whatever its scopes").isEqualTo(200);
        assertThat(client.getAsAdmin("/v3/api-docs", ADMIN_TOKEN).statusCode()).isEqualTo(200);
        assertThat(client.get("/v3/api-docs.yaml").statusCode()).isEqualTo(401);
        assertThat(new ApiClient(port, NO_SCOPE_KEY).send("GET", "/v3/api-docs.yaml", null).body())
                .startsWith("openapi: 3.");
    }

    @Test
    void theFlowApisAndTheAdminApiAreInItWithTheCredentialEachTakes() throws IOException {
        JsonNode contract = contract();

        assertThat(contract.path("openapi").asText()).startsWith("3.");
        assertThat(contract.path("servers").get(0).path("url").asText()).isEqualTo("/");
        assertThat(operations(contract)).contains(
                "post /locks/{resource}", "put /locks/{resource}", "delete /locks/{resource}",
                "get /sessions/{id}", "put /sessions/{id}", "delete /sessions/{id}",
                "post /notifications", "post /notifications:batch", "get /notifications/{id}",
                "get /admin/queues", "post /admin/dlq/replay", "post /admin/sync/reviews/{id}/decision");
        assertThat(operations(contract)).anyMatch(operation -> operation.startsWith("post /gateway/{target}"));
        assertThat(operations(contract)).noneMatch(operation -> operation.contains("/actuator")
                || operation.contains("/webhooks") || operation.contains("/error"));

        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation -> {
            String expected = path.getKey().startsWith("/admin") ? ApiContractConfiguration.ADMIN_TOKEN
                    : ApiContractConfiguration.API_KEY;
            assertThat(operation.getValue().path("security").get(0).has(expected))
                    .as("%s %s takes %s", operation.getKey(), path.getKey(), expected).isTrue();
        }));
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(operation ->
                operation.getValue().path("responses").fields().forEachRemaining(response -> {
                    if (response.getKey().matches("[45].*")) {
                        assertThat(response.getValue().at("/content/application~1problem+json/schema/$ref").asText())
                                .as("%s %s %s", operation.getKey(), path.getKey(), response.getKey())
                                .isEqualTo("#/components/schemas/Problem");
                    }
                })));
        assertThat(contract.at("/paths/~1locks~1{resource}/post/responses/201").isMissingNode()).isFalse();
        assertThat(contract.at("/paths/~1notifications/post/responses/202").isMissingNode()).isFalse();
        assertThat(contract.at("/components/securitySchemes/apiKey/scheme").asText()).isEqualTo("bearer");
        assertThat(contract.at("/components/securitySchemes/adminToken/name").asText()).isEqualTo("X-Admin-Token");
    }

    @Test
    void theServedContractIsTheCommittedOne() throws IOException {
        String served = JSON.writeValueAsString(JSON.treeToValue(contract(), Object.class)) + "\n";
        if (Boolean.getBoolean("ccbridge.api-contract.write")) {
            Files.createDirectories(COMMITTED.getParent());
            Files.writeString(COMMITTED, served);
        }
        assertThat(served).as("the served contract against " + COMMITTED + "; an API changed: run this test with "
                + "-Dccbridge.api-contract.write=true and review the difference").isEqualTo(Files.readString(COMMITTED));
    }

    private JsonNode contract() throws IOException {
        HttpResponse<String> response = client.getAsAdmin("/v3/api-docs", ADMIN_TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> operations(JsonNode contract) {
        List<String> operations = new ArrayList<>();
        contract.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames()
                .forEachRemaining(method -> operations.add(method + " " + path.getKey())));
        return operations;
    }
}
