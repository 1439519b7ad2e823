package org.ccbridge.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A WireMock messaging provider that deduplicates by idempotency key, as Twilio-, SendGrid- and
 * platform-style APIs do: the first request with a key is a delivery (201 with a message id), a
 * repeat answers the same message id (200) without delivering again. It counts deliveries per key.
 * The key is read from a header or, for body-keyed APIs, from a JSON field.
 *
 * <p>A stub of {@link #PATH} can add a delay after the delivery is counted, to play a provider
 * that delivered but answered too late, or answer an error instead (then nothing is delivered).
 */
public final class FakeNotificationProvider implements AutoCloseable {

    public static final String PATH = "/messages";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server;
    private final Map<String, String> messageIdByKey = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deliveriesByKey = new ConcurrentHashMap<>();
    private final Function<Request, String> keyOf;

    private FakeNotificationProvider(Function<Request, String> keyOf) {
        this.keyOf = keyOf;
        this.server = new WireMockServer(wireMockConfig().dynamicPort().extensions(new Dedup()));
        server.start();
        accept();
    }

    /** A provider that takes the key from {@code header}. */
    public static FakeNotificationProvider keyedByHeader(String header) {
        return new FakeNotificationProvider(request -> request.getHeader(header));
    }

    /** A provider that takes the key from a JSON body field, e.g. {@code /mail_settings/idempotency_key}. */
    public static FakeNotificationProvider keyedByBodyField(String jsonPointer) {
        return new FakeNotificationProvider(request -> {
            try {
                JsonNode key = JSON.readTree(request.getBodyAsString()).at(jsonPointer);
                return key.isMissingNode() ? null : key.asText();
            } catch (Exception e) {
                return null;
            }
        });
    }

    /** Deliver every request (the default). */
    public void accept() {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withTransformers("dedup")));
    }

    /** Deliver, then answer only after {@code delayMillis}: a caller with a shorter timeout never hears of it. */
    public void acceptButAnswerAfter(int delayMillis) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withTransformers("dedup")
                .withFixedDelay(delayMillis)));
    }

    /** Answer {@code status} without delivering. */
    public void fail(int status) {
        server.stubFor(post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\":" + status + ",\"message\":\"provider error\"}")));
    }

    /**
     * Sends sms through this fake: an API client {@code flows} with the notifications scope and
     * {@code apiKey}, the outbox relay running every 100 ms, and this fake as the sms channel's
     * primary provider ({@code sms-provider}).
     */
    public void registerAsSmsProvider(DynamicPropertyRegistry registry, String apiKey) {
        registry.add("ccbridge.api.clients.flows.key-sha256", () -> EmbeddedModeTestSupport.sha256Hex(apiKey));
        registry.add("ccbridge.api.clients.flows.scopes", () -> "notifications");
        registry.add("ccbridge.notify.relay.enabled", () -> "true");
        registry.add("ccbridge.notify.relay.interval", () -> "100ms");
        registry.add("ccbridge.notify.providers.sms-provider.url", this::url);
        registry.add("ccbridge.notify.providers.sms-provider.timeout", () -> "2s");
        registry.add("ccbridge.notify.channels.sms.primary", () -> "sms-provider");
    }

    public String url() {
        return server.baseUrl() + PATH;
    }

    /** How many times the message with this key was delivered (0, or 1 for a provider that deduplicates). */
    public int deliveries(String key) {
        AtomicInteger count = deliveriesByKey.get(key);
        return count == null ? 0 : count.get();
    }

    /** Every request that carried one of these keys. */
    public List<LoggedRequest> requestsFor(List<String> keys) {
        return server.findAll(postRequestedFor(urlEqualTo(PATH))).stream()
                .filter(request -> keys.contains(keyOf.apply(request))).toList();
    }

    public String keyOf(LoggedRequest request) {
        return keyOf.apply(request);
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Counts a delivery the first time a key is seen, and answers repeats with the first message id. */
    private final class Dedup extends NamedTransformer {

        Dedup() {
            super("dedup");
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            Request request = serveEvent.getRequest();
            String key = keyOf.apply(request);
            if (key == null) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(400)
                        .withBody("{\"message\":\"idempotency key missing\"}").build();
            }
            boolean[] first = {false};
            String messageId = messageIdByKey.computeIfAbsent(key, k -> {
                first[0] = true;
                deliveriesByKey.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                return "SM" + UUID.randomUUID().toString().replace("-", "");
            });
            return ResponseDefinitionBuilder.like(serveEvent.getResponseDefinition())
                    .withStatus(first[0] ? 201 : 200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"sid\":\"" + messageId + "\",\"status\":\"queued\"}")
                    .build();
        }
    }
}
