package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.ccbridge.support.EmbeddedModeTestSupport;
import org.junit.jupiter.api.Test;

/** The JSON APIs take no body over ccbridge.api.max-body-size (64 KB), declared or chunked. */
class ApiBodyLimitTests extends EmbeddedModeTestSupport {

    private static final String OVER_LIMIT = "{\"owner\":\"" + "o".repeat(70 * 1024) + "\"}";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aDeclaredOrChunkedBodyOverTheLimitIs413BeforeItIsParsed() throws Exception {
        for (String path : new String[] {"/locks/body-" + UUID.randomUUID(), "/notifications",
                "/admin/sync/reviews/1/decision"}) {
            assertThat(send(path, HttpRequest.BodyPublishers.ofString(OVER_LIMIT)).statusCode()).as(path)
                    .isEqualTo(413);
            HttpResponse<String> chunked = send(path, HttpRequest.BodyPublishers.ofInputStream(
                    () -> new ByteArrayInputStream(OVER_LIMIT.getBytes(StandardCharsets.UTF_8))));
            assertThat(chunked.statusCode()).as("chunked %s", path).isEqualTo(413);
            assertThat(chunked.body()).contains("limited to 65536 bytes");
        }
    }

    @Test
    void aBodyWithinTheLimitIsReadAsUsual() throws Exception {
        HttpResponse<String> chunked = send("/locks/body-" + UUID.randomUUID(), HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream("{\"owner\":\"flow-a\"}".getBytes(StandardCharsets.UTF_8))));
        assertThat(chunked.statusCode()).isEqualTo(201);
    }

    @Test
    void theBatchEndpointTakesBodiesUpToItsOwnLimit() throws Exception {
        // 70 KB: over the single requests' limit, well within the batch's (2 MB)
        HttpResponse<String> withinBatchLimit = send("/notifications:batch", HttpRequest.BodyPublishers.ofString(
                "{\"notifications\":[{\"businessReference\":\"" + "r".repeat(70 * 1024) + "\"}]}"));
        assertThat(withinBatchLimit.statusCode()).as(withinBatchLimit.body()).isEqualTo(200);

        String overBatchLimit = "{\"notifications\":[{\"businessReference\":\"" + "r".repeat(2 * 1024 * 1024) + "\"}]}";
        HttpResponse<String> refused = send("/notifications:batch", HttpRequest.BodyPublishers.ofString(overBatchLimit));
        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.body()).contains("limited to 2097152 bytes");
    }

    private HttpResponse<String> send(String path, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json").header("Idempotency-Key", "k-" + UUID.randomUUID());
        if (path.startsWith("/admin/")) {
            request.header("X-Admin-Token", ADMIN_TOKEN);
        } else {
            request.header("Authorization", "Bearer " + DEV_API_KEY);
        }
        return http.send(request.POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }
}
