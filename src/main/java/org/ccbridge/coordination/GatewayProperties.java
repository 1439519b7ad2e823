package org.ccbridge.coordination;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The idempotent mutation gateway and its targets.
 *
 * @param keyTtl      how long a completed request is replayed for its Idempotency-Key
 * @param maxBodySize larger request bodies get 413
 * @param targets     by the name callers use in {@code /gateway/{target}/...}
 */
@ConfigurationProperties("ccbridge.gateway")
public record GatewayProperties(
        @DefaultValue("24h") Duration keyTtl,
        @DefaultValue("1MB") DataSize maxBodySize,
        @DefaultValue Map<String, Target> targets) {

    /**
     * @param baseUrl            requests go to this URL plus the path after the target name
     * @param requireKey         requests without an Idempotency-Key get 400
     * @param keyHeader          the header the key is forwarded in; empty to not forward it
     * @param oauthClient        an {@code ccbridge.oauth.clients} name whose token is sent as bearer
     * @param authHeader         a static header to send instead, e.g. {@code X-Api-Key}
     * @param authValue          its value, from the environment
     * @param timeout            connect and read timeout of the forwarded request
     * @param storeServerErrors  whether a 5xx answer is stored and replayed, or the retry goes through
     * @param forwardHeaders     request headers passed on to the target
     * @param replayHeaders      response headers stored with the response and replayed
     * @param rateLimitPerSecond requests per second to this target; 0 for no limit
     * @param rateLimitPerMinute requests per minute to this target, shared by every instance; 0 for no limit
     * @param circuitBreaker     when to stop calling a failing target
     */
    public record Target(
            String baseUrl,
            @DefaultValue("true") boolean requireKey,
            @DefaultValue("Idempotency-Key") String keyHeader,
            @DefaultValue("") String oauthClient,
            @DefaultValue("") String authHeader,
            @DefaultValue("") String authValue,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("false") boolean storeServerErrors,
            @DefaultValue({"Content-Type", "Accept"}) List<String> forwardHeaders,
            @DefaultValue({"Content-Type", "Location", "ETag"}) List<String> replayHeaders,
            @DefaultValue("0") int rateLimitPerSecond,
            @DefaultValue("0") int rateLimitPerMinute,
            @DefaultValue CircuitBreaker circuitBreaker) {
    }

    /**
     * Defaults: when more than half of the last 100 calls failed, stop calling for 60 s, then let
     * 10 calls test the target.
     */
    public record CircuitBreaker(
            @DefaultValue("100") int slidingWindow,
            @DefaultValue("100") int minimumCalls,
            @DefaultValue("50") float failureRatePercent,
            @DefaultValue("60s") Duration openFor,
            @DefaultValue("10") int halfOpenCalls) {

        /** The Resilience4j configuration these settings describe; every outbound target uses it. */
        public CircuitBreakerConfig.Builder config() {
            return CircuitBreakerConfig.custom()
                    .slidingWindowSize(slidingWindow)
                    .minimumNumberOfCalls(minimumCalls)
                    .failureRateThreshold(failureRatePercent)
                    .waitDurationInOpenState(openFor)
                    .permittedNumberOfCallsInHalfOpenState(halfOpenCalls);
        }
    }
}
