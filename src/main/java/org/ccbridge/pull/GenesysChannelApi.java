package org.ccbridge.pull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.crm.RetryAfter;

/**
 * The two REST calls of Genesys Cloud's Notification Service: create a channel, and set its
 * subscriptions. Both carry the source's OAuth token; a 401 gets a new token and one more try.
 */
class GenesysChannelApi {

    private static final Logger LOG = LoggerFactory.getLogger(GenesysChannelApi.class);

    private final String source;
    private final String apiUrl;
    private final String oauthClient;
    private final Duration timeout;
    private final OAuthTokenCache tokens;
    private final ObjectMapper json;
    private final HttpClient http;

    GenesysChannelApi(String source, String apiUrl, String oauthClient, Duration timeout, OAuthTokenCache tokens,
                      ObjectMapper json, HttpClient http) {
        this.source = source;
        this.apiUrl = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        this.oauthClient = oauthClient;
        this.timeout = timeout;
        this.tokens = tokens;
        this.json = json;
        this.http = http;
    }

    /** {@code POST /api/v2/notifications/channels}: a new channel, {id, connectUri, expires}. */
    NotificationChannel createChannel() {
        JsonNode channel = call("POST", "/api/v2/notifications/channels", "{}");
        String id = channel.path("id").asText("");
        String connectUri = channel.path("connectUri").asText("");
        if (id.isBlank() || connectUri.isBlank()) {
            throw new PullFailedException("Genesys created a channel without id or connectUri for source " + source);
        }
        return new NotificationChannel(id, URI.create(connectUri), expiry(channel.path("expires").asText("")));
    }

    /**
     * {@code PUT /api/v2/notifications/channels/{id}/subscriptions}: the channel's topics, replacing
     * any it had. Topics Genesys rejects are logged; when it rejects them all, the channel is useless
     * and the call fails.
     */
    void subscribe(NotificationChannel channel, List<String> topics) {
        ArrayNode body = json.createArrayNode();
        topics.forEach(topic -> body.addObject().put("id", topic));
        JsonNode answer = call("PUT", "/api/v2/notifications/channels/" + channel.id() + "/subscriptions",
                body.toString());
        List<String> rejected = new ArrayList<>();
        for (JsonNode topic : answer.path("entities")) {
            if ("Rejected".equalsIgnoreCase(topic.path("state").asText())) {
                rejected.add(topic.path("id").asText() + " (" + topic.path("rejectionReason").asText("no reason") + ")");
            }
        }
        if (!rejected.isEmpty()) {
            LOG.warn("Source {}: Genesys rejected {} of {} topics: {}", source, rejected.size(), topics.size(), rejected);
            if (rejected.size() == topics.size()) {
                throw new PullFailedException("Genesys rejected every topic of source " + source);
            }
        }
    }

    private JsonNode call(String method, String path, String body) {
        HttpResponse<byte[]> answer = tokens.callWithToken(oauthClient, token -> send(method, path, body, token),
                response -> response.statusCode() == 401);
        int status = answer.statusCode();
        if (status / 100 != 2) {
            // the status says enough; Genesys's error bodies can echo the request
            Duration wait = status == 429 || status == 503
                    ? RetryAfter.wait(answer.headers().firstValue("Retry-After").orElse(null), null) : null;
            throw new PullFailedException("Genesys answered " + status + " to " + method + " " + path + " for source "
                    + source, wait);
        }
        try {
            return json.readTree(answer.body());
        } catch (IOException e) {
            throw new PullFailedException("Genesys's answer to " + method + " " + path + " is not JSON");
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String body, String token) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(apiUrl + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return PullFailedException.send(http, request, "Genesys");
    }

    /** The channel's expiry; 24 h from now when Genesys names none that can be read. */
    private static Instant expiry(String expires) {
        try {
            return expires.isBlank() ? Instant.now().plus(Duration.ofHours(24)) : Instant.parse(expires);
        } catch (DateTimeParseException e) {
            return Instant.now().plus(Duration.ofHours(24));
        }
    }
}
