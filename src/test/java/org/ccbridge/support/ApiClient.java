package org.ccbridge.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Calls ccbridge's coordination APIs the way a contact-center flow does, with an API key. */
public final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final String apiKey;

    public ApiClient(int port, String apiKey) {
        this.baseUrl = "http://127.0.0.1:" + port;
        this.apiKey = apiKey;
    }

    /** Sends {@code json} (or no body when null) with {@code Authorization: Bearer <key>}. */
    public HttpResponse<String> send(String method, String path, String json) {
        return send(method, path, json, "Bearer " + apiKey);
    }

    /** The same with any Authorization header, or none when {@code authorization} is null. */
    public HttpResponse<String> send(String method, String path, String json, String authorization) {
        return send(method, path, json, authorization, Map.of());
    }

    /** With the client's key and further headers, e.g. an Idempotency-Key. */
    public HttpResponse<String> sendWithHeaders(String method, String path, String json, Map<String, String> headers) {
        return send(method, path, json, "Bearer " + apiKey, headers);
    }

    private HttpResponse<String> send(String method, String path, String json, String authorization,
                                      Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        headers.forEach(request::header);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("ccbridge did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
