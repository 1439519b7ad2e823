package org.ccbridge.pull;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.cluster.LeaseClusterService;
import org.ccbridge.crm.RetryAfter;
import org.ccbridge.ingress.PullSettings;
import org.ccbridge.ingress.PulledEventSteps;
import org.ccbridge.ingress.WebhookSource;
import org.ccbridge.ingress.WebhookSources;

/**
 * The steps of {@code routes/cxone-poll.camel.yaml}: fetch the states that changed since a
 * source's cursor from NICE CXone's Real-Time Data API, and store the answer's
 * {@code lastPollTime} as the next cursor once every event of the page is durable.
 *
 * <p>Each changed state becomes one event in CXone's webhook shape, {@code {"event": {"id":
 * "<contactId>:<lastUpdateTime>", "type": "contact.state.<name>", "createdAt": ..., "data":
 * <the state>}}}: the id is the same whenever the same change is read again, so a page read twice
 * (after a crash, or by the instance that took over) is dropped as duplicates.
 */
public class CxonePolls {

    public static final String BEAN = "cxonePolls";
    /** Exchange property: the cursor to store once the page's events are durable; absent when none. */
    public static final String NEXT_CURSOR = "CcbridgeNextCursor";

    private static final Logger LOG = LoggerFactory.getLogger(CxonePolls.class);
    /** The wait after a 429 or 503 that names none. */
    static final Duration DEFAULT_THROTTLE_WAIT = Duration.ofSeconds(30);

    private final WebhookSources sources;
    private final OAuthTokenCache tokens;
    private final PullCursors cursors;
    private final LeaseClusterService cluster;
    private final PulledSourceMetrics metrics;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final Map<String, Instant> notBefore = new ConcurrentHashMap<>();

    public CxonePolls(WebhookSources sources, OAuthTokenCache tokens, PullCursors cursors, LeaseClusterService cluster,
                      PulledSourceMetrics metrics, ObjectMapper json, Clock clock) {
        this.sources = sources;
        this.tokens = tokens;
        this.cursors = cursors;
        this.cluster = cluster;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Fetches one page after the source's cursor: the body becomes the page's events (JSON text,
     * in the platform's order), and {@link #NEXT_CURSOR} the cursor after them. A 304 is a page
     * without events, and the cursor stays. A 429 or 503 makes no page, and no call is made until
     * its Retry-After has passed. Any other answer fails the poll; the cursor stays.
     */
    public void fetch(Exchange exchange) throws IOException {
        String name = exchange.getMessage().getHeader(PulledEventSteps.SOURCE_HEADER, String.class);
        PullSettings settings = settingsOf(name);
        exchange.getMessage().setBody(List.of());
        Instant now = clock.instant();
        Instant waitUntil = notBefore.get(name);
        if (waitUntil != null && now.isBefore(waitUntil)) {
            return; // the platform asked us to wait
        }
        String cursor = cursors.read(name).orElseGet(() -> start(name, now.minus(settings.lookback()).toString()));
        HttpResponse<byte[]> answer = tokens.callWithToken(settings.oauthClient(),
                token -> get(settings, cursor, token), response -> response.statusCode() == 401);
        int status = answer.statusCode();
        if (status == 304) {
            metrics.connected(name);
            return;
        }
        if (status == 429 || status == 503) {
            Duration wait = RetryAfter.wait(answer.headers().firstValue("Retry-After").orElse(null),
                    DEFAULT_THROTTLE_WAIT);
            notBefore.put(name, now.plus(wait));
            LOG.info("Source {}: CXone answered {}; next poll in {} s", name, status, wait.toSeconds());
            return;
        }
        if (status != 200) {
            // CXone's error bodies can quote the request; the status says enough
            throw new PullFailedException("CXone answered " + status + " to the poll of source " + name);
        }
        JsonNode page = readPage(name, answer.body());
        exchange.getMessage().setBody(events(name, settings, page));
        exchange.setProperty(NEXT_CURSOR, page.path("lastPollTime").asText());
    }

    /**
     * Stores the page's cursor, under this instance's lease of the source; called once every event
     * of the page is durable.
     *
     * @throws StaleLeaseException when this instance no longer holds the lease
     */
    public void advance(Exchange exchange) {
        String name = exchange.getMessage().getHeader(PulledEventSteps.SOURCE_HEADER, String.class);
        String next = exchange.getProperty(NEXT_CURSOR, String.class);
        if (next == null) {
            return;
        }
        long token = cluster.fencingToken(name).orElseThrow(() -> new StaleLeaseException(name, 0));
        cursors.advance(name, next, token);
        metrics.connected(name); // the poll is done: its events are durable and the cursor moved
        try {
            metrics.durableUpTo(name, Instant.parse(next));
        } catch (DateTimeParseException notATime) {
            LOG.debug("Source {}: cursor {} is not a time; lag not measured", name, next);
        }
    }

    /** A state that makes no valid event: logged without its content, counted, and skipped. */
    public void unusable(Exchange exchange) {
        String name = exchange.getMessage().getHeader(PulledEventSteps.SOURCE_HEADER, String.class);
        Exception rejected = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Source {}: a state made no event and was skipped: {}", name,
                rejected == null ? "rejected" : rejected.getMessage());
        metrics.unusable(name);
    }

    /**
     * Stores the first cursor of a source that has none, so that polls failing for longer than
     * the lookback do not let its window slide past changes.
     */
    private String start(String name, String cursor) {
        cursors.advance(name, cursor, cluster.fencingToken(name).orElseThrow(() -> new StaleLeaseException(name, 0)));
        return cursor;
    }

    /** The poll failed, in the fetch or in the acceptance: the source counts as disconnected until a poll succeeds. */
    public void failed(Exchange exchange) {
        metrics.disconnected(exchange.getMessage().getHeader(PulledEventSteps.SOURCE_HEADER, String.class));
    }

    private PullSettings settingsOf(String name) {
        WebhookSource source = sources.find(name).orElseThrow(() ->
                new IllegalArgumentException("no source is configured as " + name));
        return source.settings().pull();
    }

    private HttpResponse<byte[]> get(PullSettings settings, String cursor, String token) {
        String separator = settings.url().contains("?") ? "&" : "?";
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + separator + "updatedSince="
                        + URLEncoder.encode(cursor, StandardCharsets.UTF_8)))
                .timeout(settings.timeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET().build();
        return PullFailedException.send(http, request, "CXone");
    }

    private JsonNode readPage(String name, byte[] body) {
        JsonNode page;
        try {
            page = json.readTree(body);
        } catch (IOException e) {
            throw new PullFailedException("CXone's answer to the poll of source " + name + " is not JSON");
        }
        if (page == null || !page.path("lastPollTime").isTextual() || page.path("lastPollTime").asText().isBlank()) {
            throw new PullFailedException("CXone's answer to the poll of source " + name + " has no lastPollTime");
        }
        return page;
    }

    private List<String> events(String name, PullSettings settings, JsonNode page) throws IOException {
        List<String> events = new ArrayList<>();
        for (JsonNode state : page.path(settings.items())) {
            String id = state.path(settings.idField()).asText("");
            String time = state.path(settings.timeField()).asText("");
            if (id.isBlank() || time.isBlank()) {
                // no id or time makes no event id that stays the same when read again
                LOG.warn("Source {}: a state without {} or {} was skipped", name, settings.idField(), settings.timeField());
                metrics.unusable(name);
                continue;
            }
            events.add(eventOf(json, settings, state, id, time));
        }
        return events;
    }

    /** One changed state as an event in CXone's webhook shape; the same text whenever it is read again. */
    static String eventOf(ObjectMapper json, PullSettings settings, JsonNode state, String id, String time)
            throws IOException {
        String kind = state.path(settings.typeField()).asText("").toLowerCase(Locale.ROOT);
        ObjectNode event = json.createObjectNode();
        event.put("id", id + ":" + time);
        event.put("type", kind.isBlank() ? settings.typePrefix() : settings.typePrefix() + "." + kind);
        event.put("createdAt", time);
        event.set("data", state);
        return json.writeValueAsString(json.createObjectNode().set("event", event));
    }
}
