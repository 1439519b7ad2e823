package org.ccbridge.broker;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Depth and rates from RabbitMQ's management API ({@code GET /api/queues/<vhost>/<queue>}): the
 * depth ({@code messages}), messages published in per second ({@code message_stats.publish_details.rate})
 * and acknowledged out per second ({@code message_stats.ack_details.rate}), as the broker
 * measures them over its own sample interval.
 */
public class ManagementApiStats implements QueueStatsSource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient http;
    private final String vhost;

    /**
     * @param managementUrl the API's base, e.g. {@code http://user:password@rabbitmq:15672}; the
     *                      user needs the {@code monitoring} tag
     */
    public ManagementApiStats(String managementUrl, String vhost, Duration timeout) {
        URI base = URI.create(managementUrl.endsWith("/") ? managementUrl : managementUrl + "/");
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build());
        requests.setReadTimeout(timeout);
        RestClient.Builder builder = RestClient.builder().requestFactory(requests)
                .baseUrl(withoutUserInfo(base).toString());
        if (base.getRawUserInfo() != null) {
            // the credentials travel as Basic auth, never in a logged URL
            String credentials = URLDecoder.decode(base.getRawUserInfo().replace("+", "%2B"), StandardCharsets.UTF_8);
            builder.defaultHeader(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder()
                    .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        this.http = builder.build();
        this.vhost = vhost;
    }

    @Override
    public Optional<QueueStats> read(String queue) {
        String body = http.get()
                .uri("api/queues/{vhost}/{queue}?columns=messages,message_stats.publish_details.rate,"
                        + "message_stats.ack_details.rate", vhost, queue)
                .retrieve()
                .onStatus(status -> status.value() == 404, (request, response) -> { })
                .body(String.class);
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode stats = JSON.readTree(body);
            if (stats.has("error")) {
                return Optional.empty(); // 404 {"error":"Object Not Found"}
            }
            JsonNode messageStats = stats.path("message_stats");
            return Optional.of(new QueueStats(stats.path("messages").asLong(0),
                    rate(messageStats.path("publish_details")), rate(messageStats.path("ack_details"))));
        } catch (IOException e) {
            throw new IllegalStateException("management API answered something else than JSON for queue " + queue, e);
        }
    }

    /** A queue nothing has gone through yet has no message_stats: its rates are 0. */
    private static Double rate(JsonNode details) {
        return details.path("rate").asDouble(0.0);
    }

    private static URI withoutUserInfo(URI uri) {
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null ? "/" : uri.getRawPath()));
    }
}
