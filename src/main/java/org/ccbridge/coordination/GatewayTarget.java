package org.ccbridge.coordination;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.auth.TokenUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * One configured gateway target: where requests go, how they authenticate, and the circuit
 * breaker and rate limiter in front of it.
 */
class GatewayTarget {

    /** Why a request did not reach the target, or got no answer from it. */
    static final class Unreachable extends RuntimeException {
        final boolean timedOut;

        Unreachable(String message, boolean timedOut, Throwable cause) {
            super(message, cause);
            this.timedOut = timedOut;
        }
    }

    private final String name;
    private final GatewayProperties.Target settings;
    private final CircuitBreaker circuitBreaker;
    private final RateLimit rateLimit;
    private final RestClient http;

    GatewayTarget(String name, GatewayProperties.Target settings, RateLimits rateLimits) {
        this.name = name;
        this.settings = settings;
        this.circuitBreaker = CircuitBreaker.of("gateway-" + name, settings.circuitBreaker().config().build());
        this.rateLimit = rateLimits.limit("gateway-" + name, settings.rateLimitPerSecond(), settings.rateLimitPerMinute(),
                Duration.ZERO);
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout()).build());
        requests.setReadTimeout(settings.timeout());
        this.http = RestClient.builder().requestFactory(requests).build();
    }

    CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    GatewayProperties.Target settings() {
        return settings;
    }

    /**
     * False when this target's rate limit is used up for now.
     *
     * @throws CoordinationStoreUnavailableException when the store holding the shared limit does not answer
     */
    boolean admit() {
        return rateLimit == null || rateLimit.acquire(1);
    }

    /** False while the circuit is open. */
    boolean circuitAllows() {
        return circuitBreaker.tryAcquirePermission();
    }

    /**
     * Sends the request; a 5xx counts as a failure for the circuit breaker but is returned, an
     * unreachable target or a timeout is thrown as {@link Unreachable}.
     */
    StoredResponse forward(HttpMethod method, String pathAndQuery, Map<String, String> headers, byte[] body,
                           String key, OAuthTokenCache tokens) {
        long started = System.nanoTime();
        try {
            StoredResponse response = settings.oauthClient().isBlank()
                    ? send(method, pathAndQuery, headers, body, key, null)
                    : tokens.callWithToken(settings.oauthClient(),
                            token -> send(method, pathAndQuery, headers, body, key, token), answer -> answer.status() == 401);
            long elapsed = System.nanoTime() - started;
            if (response.status() >= 500) {
                circuitBreaker.onError(elapsed, TimeUnit.NANOSECONDS, new IllegalStateException("answered " + response.status()));
            } else {
                circuitBreaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            }
            return response;
        } catch (TokenUnavailableException e) {
            // the token endpoint or store failed, not this target: its circuit must not open for it
            circuitBreaker.releasePermission();
            throw e;
        } catch (RuntimeException e) {
            circuitBreaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    private StoredResponse send(HttpMethod method, String pathAndQuery, Map<String, String> headers, byte[] body,
                                String key, String bearer) {
        try {
            return http.method(method).uri(URI.create(settings.baseUrl().replaceAll("/+$", "") + pathAndQuery))
                    .headers(out -> {
                        headers.forEach(out::set);
                        if (key != null && !settings.keyHeader().isBlank()) {
                            out.set(settings.keyHeader(), key);
                        }
                        if (bearer != null) {
                            out.setBearerAuth(bearer);
                        } else if (!settings.authHeader().isBlank()) {
                            out.set(settings.authHeader(), settings.authValue());
                        }
                    })
                    .body(body)
                    .exchange((request, response) -> new StoredResponse(response.getStatusCode().value(),
                            replayHeaders(response.getHeaders()), response.getBody().readAllBytes()), true);
        } catch (ResourceAccessException e) {
            boolean timedOut = e.getCause() instanceof java.net.http.HttpTimeoutException
                    || e.getCause() instanceof java.net.SocketTimeoutException;
            throw new Unreachable("target " + name + (timedOut ? " did not answer in time" : " unreachable"), timedOut, e);
        }
    }

    private Map<String, String> replayHeaders(HttpHeaders headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String header : settings.replayHeaders()) {
            String value = headers.getFirst(header);
            if (value != null) {
                kept.put(header, value);
            }
        }
        return kept;
    }
}
