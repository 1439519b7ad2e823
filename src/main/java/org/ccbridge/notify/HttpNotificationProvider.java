package org.ccbridge.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A provider with a JSON HTTP API: one POST per notification, the outbox id in the configured
 * idempotency header, the identical body on every attempt, behind the provider's circuit breaker.
 */
public class HttpNotificationProvider {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final NotifyProperties.Provider settings;
    private final HttpClient http;
    private final CircuitBreaker circuitBreaker;

    public HttpNotificationProvider(String name, NotifyProperties.Provider settings) {
        this.name = name;
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout()).build();
        this.circuitBreaker = CircuitBreaker.of("notify-" + name, settings.circuitBreaker().config().build());
    }

    public String name() {
        return name;
    }

    /** @throws ProviderException when the provider did not take it (retryable when its circuit is open) */
    public void send(NotificationMessage message) throws InterruptedException {
        if (!circuitBreaker.tryAcquirePermission()) {
            throw new ProviderException("circuit of provider " + name + " is open", true, null);
        }
        long start = System.nanoTime();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url())).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header(settings.idempotencyHeader(), message.id())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(message)));
        if (!settings.authHeader().isEmpty()) {
            request.header(settings.authHeader(), settings.authValue());
        }
        int status;
        try {
            status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw new ProviderException("provider " + name + " did not answer: " + e.getClass().getSimpleName(), true, e);
        }
        if (status >= 200 && status < 300) {
            circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            return;
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        if (status >= 500) {
            circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS,
                    new IllegalStateException("answered " + status));
        } else {
            circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
        throw new ProviderException("provider " + name + " answered " + status, retryable, null);
    }

    private static byte[] body(NotificationMessage message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", message.id());
        body.put("channel", message.channel());
        body.put("to", message.recipient());
        if (message.template() != null) {
            body.put("template", message.template());
        } else {
            body.put("body", message.body());
        }
        body.put("customerId", message.customerId());
        body.put("messageType", message.messageType());
        if (message.businessReference() != null) {
            body.put("reference", message.businessReference());
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }
}
