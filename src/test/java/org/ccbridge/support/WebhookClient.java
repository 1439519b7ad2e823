package org.ccbridge.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Posts deliveries to a running ccbridge the way platforms do.
 */
public final class WebhookClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String demoSecret;

    public WebhookClient(int port) {
        this(port, StandardWebhooksSigner.DEMO_SECRET);
    }

    public WebhookClient(int port, String demoSecret) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.demoSecret = demoSecret;
    }

    /** A Standard Webhooks delivery to the demo source, signed with its secret. */
    public HttpResponse<String> postDemo(String id, String body) {
        return postSigned("demo", demoSecret, id, body);
    }

    /**
     * Retries a demo delivery the way a platform does, every 250 ms until it gets a 200 or the
     * timeout passes; any reply other than 200 must be one of {@code transientStatuses}.
     */
    public HttpResponse<String> retryDemoUntilAnswered(String id, String body, Duration timeout,
                                                       Integer... transientStatuses) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> response = postDemo(id, body);
        while (response.statusCode() != 200 && System.nanoTime() < deadline) {
            org.assertj.core.api.Assertions.assertThat(response.statusCode())
                    .as("reply while the service recovers").isIn((Object[]) transientStatuses);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            response = postDemo(id, body);
        }
        return response;
    }

    public HttpResponse<String> postSigned(String source, String secret, String id, String body) {
        return postSigned(source, secret, id, body, Map.of());
    }

    /** A demo delivery with more headers, e.g. a platform's {@code traceparent}. */
    public HttpResponse<String> postDemo(String id, String body, Map<String, String> extraHeaders) {
        return postSigned("demo", demoSecret, id, body, extraHeaders);
    }

    private HttpResponse<String> postSigned(String source, String secret, String id, String body,
                                            Map<String, String> extraHeaders) {
        long timestamp = Instant.now().getEpochSecond();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new HashMap<>(extraHeaders);
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", StandardWebhooksSigner.sign(secret, id, timestamp, bytes));
        return post(source, bytes, headers);
    }

    public HttpResponse<String> post(String source, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/" + source))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Posts without a Content-Length (chunked transfer encoding). */
    public HttpResponse<String> postStreamed(String source, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/webhooks/" + source))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** A GET of the admin API with an operator's token. */
    public HttpResponse<String> getAsAdmin(String path, String adminToken) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("X-Admin-Token", adminToken).GET().build());
    }

    /** A POST of the admin API, without a body, with an operator's token. */
    public HttpResponse<String> postAsAdmin(String path, String adminToken) {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("X-Admin-Token", adminToken).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("ccbridge did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A fresh Standard Webhooks message id. */
    public static String newEventId() {
        return "msg_" + java.util.UUID.randomUUID();
    }

    /** The payload hash ccbridge stores with a claim: SHA-256 of the body bytes, hex. */
    public static String payloadHash(String body) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Standard Webhooks body for the demo source. */
    public static String demoEvent(String channel, String contactId) {
        return "{\"type\":\"interaction.wrapup\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"data\":{\"channel\":\""
                + channel + "\",\"contactId\":\"" + contactId + "\",\"disposition\":\"resolved\"}}";
    }
}
