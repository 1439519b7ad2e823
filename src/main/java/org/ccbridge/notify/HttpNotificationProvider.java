package org.ccbridge.notify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

import com.netflix.concurrency.limits.Limiter;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.classic.RequestFailedException;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.auth.TokenUnavailableException;
import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.RateLimit;
import org.ccbridge.coordination.RateLimits;

/**
 * A provider with an HTTP API: one POST per notification in the provider's {@link ProviderShape},
 * the outbox id as its idempotency key (header or body field), the identical body on every
 * attempt, behind the provider's rate limit, circuit breaker (applied by the route
 * {@code notify-provider-<name>}, built from {@code routes/notify-provider.camel.yaml}) and
 * adaptive concurrency limit ({@link ProviderConcurrency}). Auth is a static header or a bearer
 * token from the OAuth token cache; a 401 drops the token and the call is repeated once.
 *
 * <p>Refusals of a message (4xx) say nothing about the provider's health and do not count toward
 * its breaker; 5xx answers, refused credentials (401, 403), timeouts and connection failures do.
 *
 * <p>The calls go out on a blocking client with a pool of kept-alive connections, as many as the
 * provider may get calls at once: a sending thread writes the request and reads the answer
 * itself. The JDK's asynchronous client cost a relay about a third of its CPU in hand-offs between
 * its selector and executor threads (ADR 0020).
 */
public class HttpNotificationProvider implements AutoCloseable {

    /** A pooled connection idle longer than this is checked before a request goes out on it. */
    private static final TimeValue CHECK_IDLE_CONNECTION_AFTER = TimeValue.ofSeconds(2);

    /** How long a send waits for a permit of the provider's rate limit before it tries the next provider. */
    private static final Duration RATE_LIMIT_WAIT = Duration.ofSeconds(2);
    /** How long a send waits for a free slot of the provider's adaptive concurrency before it tries the next provider. */
    private static final Duration SLOT_WAIT = Duration.ofSeconds(5);
    /** How long a send waits before it asks the token endpoint again after it failed. */
    private static final Duration TOKEN_RETRY = Duration.ofSeconds(5);

    private final String name;
    private final NotifyProperties.Provider settings;
    private final OAuthTokenCache tokens;
    private final CloseableHttpClient http;
    private final URI url;
    private final CircuitBreaker circuitBreaker;
    private final RateLimit rateLimit;
    private final ProviderConcurrency concurrency;

    public HttpNotificationProvider(String name, NotifyProperties.Provider settings, OAuthTokenCache tokens,
                                    RateLimits rateLimits) {
        if (settings.url() == null || settings.url().isBlank()) {
            throw new IllegalStateException("ccbridge.notify.providers." + name + ".url is required");
        }
        try {
            URI.create(settings.url()).toURL();
        } catch (IllegalArgumentException | MalformedURLException e) {
            throw new IllegalStateException("ccbridge.notify.providers." + name + ".url is not a URL: " + e.getMessage());
        }
        if (!settings.oauthClient().isEmpty() && (tokens == null || !tokens.knows(settings.oauthClient()))) {
            throw new IllegalStateException("ccbridge.notify.providers." + name + ".oauth-client names "
                    + settings.oauthClient() + ", which ccbridge.oauth.clients does not configure");
        }
        this.name = name;
        this.settings = settings;
        this.tokens = tokens;
        this.url = URI.create(settings.url());
        this.http = httpClient(settings);
        // how the route's circuitBreaker step counts a call: by what the provider's answer says of its health
        this.circuitBreaker = CircuitBreaker.of("notify-" + name, settings.circuitBreaker().config()
                .ignoreException(failure -> !(failure instanceof ProviderException refused)
                        || !refused.counted())
                .recordException(failure -> failure instanceof ProviderException refused
                        && refused.countsAgainstProvider())
                .build());
        this.rateLimit = rateLimits.limit("notify-" + name, settings.rateLimitPerSecond(), settings.rateLimitPerMinute(),
                RATE_LIMIT_WAIT);
        this.concurrency = new ProviderConcurrency(settings.initialConcurrency(), settings.maxConcurrency(), SLOT_WAIT);
    }

    public String name() {
        return name;
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** Calls this provider gets at once now, as its adaptive concurrency limit has found. */
    public int concurrencyLimit() {
        return concurrency.limit();
    }

    /** The name of the bean the route's {@code circuitBreaker} step finds this provider's breaker under. */
    public String circuitBreakerBean() {
        return "notify-provider-" + name + "-circuit-breaker";
    }

    /** The longest one send can take: a repeat after a 401, and the waits for a rate-limit permit and a slot. */
    public Duration longestSend() {
        return settings.timeout().multipliedBy(2).plus(SLOT_WAIT)
                .plus(rateLimit == null ? Duration.ZERO : RATE_LIMIT_WAIT);
    }

    /**
     * Takes a permit of the provider's rate limit, before its circuit breaker is asked: a call
     * that gets none is not made and says nothing about the provider's health.
     *
     * @throws ProviderException NOT_CALLED when no permit came in time, or the shared limit's store did not answer
     */
    public void takePermit() {
        if (rateLimit == null) {
            return;
        }
        boolean granted;
        try {
            granted = rateLimit.acquire(1);
        } catch (CoordinationStoreUnavailableException e) {
            throw ProviderException.notCalled("rate limit of provider " + name + " unavailable", Duration.ofSeconds(1), e);
        }
        if (!granted) {
            throw ProviderException.notCalled("no permit from the rate limit of provider " + name, Duration.ofSeconds(1), null);
        }
    }

    /** The exception the circuit breaker step throws while this provider's circuit is open, as a provider failure. */
    public ProviderException circuitOpen() {
        return ProviderException.notCalled("circuit of provider " + name + " is open", settings.circuitBreaker().openFor(),
                null);
    }

    /**
     * Calls the provider with one message, inside its circuit breaker (the route's
     * {@code circuitBreaker} step): waits for a slot of its adaptive concurrency, then posts. The
     * exception says what may have come of the call and how the breaker counts it
     * ({@link ProviderException#countsAgainstProvider()}).
     *
     * @throws ProviderException when the provider did not take it
     */
    public void call(NotificationMessage message) throws InterruptedException {
        ProviderShape.ProviderRequest content = settings.type().request(message, settings);
        // the slot right before the request leaves: the limit adapts to the time from here to the
        // answer, which must be the provider's alone, not the ledger write's. A call that gets
        // none was recorded but never left: NOT_CALLED, as the relay records it
        Limiter.Listener slot = concurrency.acquire().orElseThrow(() -> ProviderException.notCalled("provider " + name
                + " has all its " + concurrency.limit() + " calls at once under way", Duration.ofSeconds(1), null));
        int status;
        try {
            status = settings.oauthClient().isEmpty()
                    ? post(content, message.id(), settings.authHeader(), settings.authValue())
                    : tokens.callWithToken(settings.oauthClient(),
                            token -> post(content, message.id(), "Authorization", "Bearer " + token), answer -> answer == 401);
        } catch (UncheckedIOException e) {
            boolean mayHaveReached = mayHaveReached(e.getCause());
            if (mayHaveReached) {
                slot.onDropped(); // no answer in time: the provider is overloaded, or the path to it is
            } else {
                slot.onIgnore();
            }
            throw ProviderException.providerFault("provider " + name + " did not answer: "
                    + e.getCause().getClass().getSimpleName(),
                    mayHaveReached ? DeliveryOutcome.UNCERTAIN : DeliveryOutcome.FAILED, e.getCause());
        } catch (TokenUnavailableException e) {
            slot.onIgnore();
            // a refresh backoff says when a token may be had again
            throw ProviderException.notCalled("no token for provider " + name + ": " + e.getMessage(),
                    e.retryAfter().filter(backoff -> backoff.compareTo(TOKEN_RETRY) > 0).orElse(TOKEN_RETRY), e);
        } catch (InterruptedSend e) {
            slot.onIgnore();
            throw e.getCause();
        } catch (RuntimeException e) {
            // e.g. a header value the HTTP client refuses: a fault of ours or the configuration,
            // worth the attempt it uses up, so that the row ends FAILED rather than circling
            slot.onIgnore();
            throw ProviderException.notCounted("provider " + name + " could not be called: " + e.getClass().getSimpleName(),
                    DeliveryOutcome.FAILED, e);
        }
        if (status == 429 || status == 503) {
            slot.onDropped(); // the provider sheds load: fewer calls at once
        } else {
            slot.onSuccess(); // an answer, whose latency tells whether calls queue at the provider
        }
        if (status >= 200 && status < 300) {
            return;
        }
        DeliveryOutcome outcome = outcomeOf(status);
        // the status only: providers' error bodies quote the recipient
        String error = "provider " + name + " answered " + status;
        throw status >= 500 || status == 401 || status == 403 ? ProviderException.providerFault(error, outcome, null)
                : new ProviderException(error, outcome, null);
    }

    /**
     * What an error status says: 502 and 504 come from a gateway that may have passed the request
     * on, so it may have been delivered; 401 and 403 are our credentials (rotated, revoked), which
     * an operator can fix, not a verdict on the message; other 4xx but 408 and 429 refuse the
     * message itself.
     */
    static DeliveryOutcome outcomeOf(int status) {
        if (status == 502 || status == 504) {
            return DeliveryOutcome.UNCERTAIN;
        }
        if (status >= 500 || status == 408 || status == 429 || status == 401 || status == 403) {
            return DeliveryOutcome.FAILED;
        }
        return DeliveryOutcome.REFUSED;
    }

    private int post(ProviderShape.ProviderRequest content, String key, String authHeader, String authValue) {
        HttpPost request = new HttpPost(url);
        request.setHeader("Accept", "application/json");
        request.setEntity(new ByteArrayEntity(content.body(), ContentType.parse(content.contentType())));
        String keyHeader = settings.type().idempotencyHeader(settings);
        if (keyHeader != null) {
            request.setHeader(keyHeader, key);
        }
        if (!authHeader.isEmpty()) {
            request.setHeader(authHeader, authValue);
        }
        try {
            // the body is read to its end, so that the connection goes back to the pool for the next call
            return http.execute(request, response -> {
                EntityUtils.consume(response.getEntity());
                return response.getCode();
            });
        } catch (RequestFailedException e) {
            // the wait for a pooled connection was interrupted: the relay is stopping
            Thread.currentThread().interrupt();
            throw new InterruptedSend(new InterruptedException(e.getMessage()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A client of its own per provider: no automatic retries (a POST sent twice is the relay's
     * decision, under the same key), no redirects, no cookies; the provider's timeout for the
     * connection and for its answer.
     */
    private static CloseableHttpClient httpClient(NotifyProperties.Provider settings) {
        Timeout timeout = Timeout.of(settings.timeout());
        int connections = Math.max(1, settings.maxConcurrency());
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setMaxConnPerRoute(connections)
                        .setMaxConnTotal(connections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(timeout)
                                .setSocketTimeout(timeout)
                                .setValidateAfterInactivity(CHECK_IDLE_CONNECTION_AFTER)
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setConnectionRequestTimeout(timeout)
                        .setResponseTimeout(timeout)
                        .build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .build();
    }

    /** Closes the provider's pooled connections. */
    @Override
    public void close() {
        try {
            http.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A failure before the request could have left (no connection) cannot have delivered anything. */
    private static boolean mayHaveReached(IOException failure) {
        return !(failure instanceof ConnectException || failure instanceof ConnectTimeoutException
                || failure instanceof UnknownHostException || failure instanceof ConnectionRequestTimeoutException);
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
