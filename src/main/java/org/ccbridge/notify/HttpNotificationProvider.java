package org.ccbridge.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.auth.TokenUnavailableException;
import org.ccbridge.coordination.RateLimits;

/**
 * A provider with an HTTP API: one POST per notification in the provider's {@link ProviderShape},
 * the outbox id as its idempotency key (header or body field), the identical body on every
 * attempt, behind the provider's circuit breaker and rate limit. Auth is a static header or a
 * bearer token from the OAuth token cache; a 401 drops the token and the call is repeated once.
 *
 * <p>Refusals (4xx) say nothing about the provider's health and do not count toward its breaker;
 * 5xx answers, timeouts and connection failures do.
 */
public class HttpNotificationProvider {

    /** How long a send waits for a permit of the provider's rate limit before it tries the next provider. */
    private static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(2);

    private final String name;
    private final NotifyProperties.Provider settings;
    private final OAuthTokenCache tokens;
    private final HttpClient http;
    private final CircuitBreaker circuitBreaker;
    private final RateLimiter rateLimiter;

    public HttpNotificationProvider(String name, NotifyProperties.Provider settings, OAuthTokenCache tokens) {
        if (settings.url() == null || settings.url().isBlank()) {
            throw new IllegalStateException("ccbridge.notify.providers." + name + ".url is required");
        }
        if (!settings.oauthClient().isEmpty() && (tokens == null || !tokens.knows(settings.oauthClient()))) {
            throw new IllegalStateException("ccbridge.notify.providers." + name + ".oauth-client names "
                    + settings.oauthClient() + ", which ccbridge.oauth.clients does not configure");
        }
        this.name = name;
        this.settings = settings;
        this.tokens = tokens;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(settings.timeout()).build();
        this.circuitBreaker = CircuitBreaker.of("notify-" + name, settings.circuitBreaker().config().build());
        this.rateLimiter = RateLimits.perSecond("notify-" + name, settings.rateLimitPerSecond(), RATE_LIMIT_WAIT);
    }

    public String name() {
        return name;
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** @throws ProviderException when the provider did not take it, with what may have come of the call */
    public void send(NotificationMessage message) throws InterruptedException {
        if (rateLimiter != null && !rateLimiter.acquirePermission()) {
            throw new ProviderException("no permit from the rate limit of provider " + name, DeliveryOutcome.NOT_CALLED, null);
        }
        if (!circuitBreaker.tryAcquirePermission()) {
            throw new ProviderException("circuit of provider " + name + " is open", DeliveryOutcome.NOT_CALLED, null);
        }
        ProviderShape.ProviderRequest content = settings.type().request(message, settings);
        long start = System.nanoTime();
        int status;
        try {
            status = settings.oauthClient().isEmpty()
                    ? post(content, message.id(), settings.authHeader(), settings.authValue())
                    : tokens.callWithToken(settings.oauthClient(),
                            token -> post(content, message.id(), "Authorization", "Bearer " + token), answer -> answer == 401);
        } catch (UncheckedIOException e) {
            circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e.getCause());
            throw new ProviderException("provider " + name + " did not answer: " + e.getCause().getClass().getSimpleName(),
                    mayHaveReached(e.getCause()) ? DeliveryOutcome.UNCERTAIN : DeliveryOutcome.FAILED, e.getCause());
        } catch (TokenUnavailableException e) {
            circuitBreaker.releasePermission();
            throw new ProviderException("no token for provider " + name + ": " + e.getMessage(), DeliveryOutcome.NOT_CALLED, e);
        } catch (InterruptedSend e) {
            circuitBreaker.releasePermission();
            throw e.getCause();
        }
        long took = System.nanoTime() - start;
        if (status >= 200 && status < 300) {
            circuitBreaker.onSuccess(took, TimeUnit.NANOSECONDS);
            return;
        }
        boolean retryable = status == 408 || status == 429 || status >= 500;
        if (status >= 500) {
            circuitBreaker.onError(took, TimeUnit.NANOSECONDS, new IllegalStateException("answered " + status));
        } else {
            circuitBreaker.onSuccess(took, TimeUnit.NANOSECONDS);
        }
        // the status only: providers' error bodies quote the recipient
        throw new ProviderException("provider " + name + " answered " + status,
                retryable ? DeliveryOutcome.FAILED : DeliveryOutcome.REFUSED, null);
    }

    private int post(ProviderShape.ProviderRequest content, String key, String authHeader, String authValue) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(settings.url())).timeout(settings.timeout())
                .header("Content-Type", content.contentType())
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(content.body()));
        String keyHeader = settings.type().idempotencyHeader(settings);
        if (keyHeader != null) {
            request.header(keyHeader, key);
        }
        if (!authHeader.isEmpty()) {
            request.header(authHeader, authValue);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            throw new InterruptedSend(e);
        }
    }

    /** A failure before the request could have left (no connection) cannot have delivered anything. */
    private static boolean mayHaveReached(IOException failure) {
        return !(failure instanceof ConnectException || failure instanceof HttpConnectTimeoutException
                || failure.getCause() instanceof UnresolvedAddressException);
    }

    /** Carries an interrupt out of the token cache's callback. */
    private static final class InterruptedSend extends RuntimeException {

        InterruptedSend(InterruptedException cause) {
            super(cause);
        }

        @Override
        public synchronized InterruptedException getCause() {
            return (InterruptedException) super.getCause();
        }
    }
}
