package org.ccbridge.notify;

import java.time.Duration;
import java.util.Map;

import org.ccbridge.coordination.GatewayProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sending notifications: the outbox relay and the providers per channel.
 *
 * @param relay     the outbox relay
 * @param providers HTTP providers by name
 * @param channels  the provider per channel (sms, email, voice)
 */
@ConfigurationProperties("ccbridge.notify")
public record NotifyProperties(@DefaultValue Relay relay, @DefaultValue Map<String, Provider> providers,
                               @DefaultValue Map<String, ChannelProviders> channels) {

    /**
     * @param enabled        relay pending rows; off in the embedded default, which has no provider
     * @param interval       pause between polls when the outbox had nothing to send
     * @param batchSize      rows one poll claims
     * @param lease          how long a claimed row is this instance's; after it another may send it
     * @param attempts       sends before a row is FAILED
     * @param initialBackoff pause after the first failed send; doubles each time, with jitter
     * @param maxBackoff     the longest pause
     */
    public record Relay(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("500ms") Duration interval,
            @DefaultValue("100") int batchSize,
            @DefaultValue("60s") Duration lease,
            @DefaultValue("8") int attempts,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("5m") Duration maxBackoff) {
    }

    /**
     * @param url               where messages are POSTed
     * @param authHeader        a static auth header, e.g. Authorization
     * @param authValue         its value, from the environment
     * @param idempotencyHeader the header carrying the outbox id as the provider's idempotency key
     * @param timeout           connect and read timeout
     * @param circuitBreaker    when to stop calling a failing provider
     */
    public record Provider(
            String url,
            @DefaultValue("") String authHeader,
            @DefaultValue("") String authValue,
            @DefaultValue("Idempotency-Key") String idempotencyHeader,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue GatewayProperties.CircuitBreaker circuitBreaker) {
    }

    /** @param primary the provider that sends this channel's notifications */
    public record ChannelProviders(String primary) {
    }
}
