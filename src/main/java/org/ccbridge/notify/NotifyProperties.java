package org.ccbridge.notify;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

import org.ccbridge.coordination.GatewayProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Sending notifications: the outbox relay, the providers, which providers serve each channel, and
 * the dedup windows.
 *
 * @param relay     the outbox relay
 * @param providers providers by name
 * @param channels  the primary and secondary provider per channel (sms, email, voice)
 * @param dedup     how long one (customer, message type) pair gets no second notification
 * @param accept    how concurrent POST /notifications requests share their round trips
 */
@ConfigurationProperties("ccbridge.notify")
public record NotifyProperties(@DefaultValue Relay relay, @DefaultValue Map<String, Provider> providers,
                               @DefaultValue Map<String, ChannelProviders> channels, @DefaultValue Dedup dedup,
                               @DefaultValue Accept accept) {

    /**
     * @param maxBatch requests arriving together that are accepted as one batch, at most
     * @param workers  such batches in flight at once
     * @param maxWait  how long a request waits for its batch before it is answered 503
     */
    public record Accept(
            @DefaultValue("200") int maxBatch,
            @DefaultValue("2") int workers,
            @DefaultValue("5s") Duration maxWait) {
    }

    /**
     * @param enabled        relay pending rows; off in the embedded default, which has no provider
     * @param interval       pause between polls when the outbox had nothing to send
     * @param batchSize      rows one poll claims
     * @param concurrency    rows of a batch sent at once, at most (provider calls wait on the
     *                       network); each provider's adaptive limit keeps its share lower while
     *                       it slows down or sheds load
     * @param lease          how long a claimed row is this instance's; after it another may send it
     * @param attempts       sends before a row is FAILED
     * @param initialBackoff pause after the first failed send; doubles each time, with jitter
     * @param maxBackoff     the longest pause
     * @param pollers        batches claimed and sent at once (the next is claimed while one is sent)
     */
    public record Relay(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("500ms") Duration interval,
            @DefaultValue("500") int batchSize,
            @DefaultValue("128") int concurrency,
            @DefaultValue("60s") Duration lease,
            @DefaultValue("8") int attempts,
            @DefaultValue("1s") Duration initialBackoff,
            @DefaultValue("5m") Duration maxBackoff,
            @DefaultValue("2") int pollers) {
    }

    /**
     * @param type               the request shape the provider's API expects
     * @param url                where messages are POSTed
     * @param from               the sender: a phone number, an email address or a platform address id
     * @param subject            the email subject when a message has a body rather than a template
     * @param oauthClient        an {@code ccbridge.oauth.clients} name whose token is sent as bearer
     * @param authHeader         a static auth header instead, e.g. Authorization
     * @param authValue          its value, from the environment
     * @param idempotencyHeader  the header carrying the outbox id; empty for the shape's own place
     * @param timeout            connect and read timeout
     * @param rateLimitPerSecond messages per second to this provider; 0 for no limit
     * @param rateLimitPerMinute messages per minute to this provider, shared by every instance; 0 for no limit
     * @param circuitBreaker     when to stop calling a failing provider
     * @param initialConcurrency calls at once to this provider before its answers are measured;
     *                           then the limit adapts to its latency, 429s, 503s and timeouts
     * @param maxConcurrency     calls at once to this provider, at most
     */
    public record Provider(
            @DefaultValue("json") ProviderShape type,
            String url,
            @DefaultValue("") String from,
            @DefaultValue("") String subject,
            @DefaultValue("") String oauthClient,
            @DefaultValue("") String authHeader,
            @DefaultValue("") String authValue,
            @DefaultValue("") String idempotencyHeader,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("0") int rateLimitPerSecond,
            @DefaultValue("0") int rateLimitPerMinute,
            @DefaultValue GatewayProperties.CircuitBreaker circuitBreaker,
            @DefaultValue("16") int initialConcurrency,
            @DefaultValue("256") int maxConcurrency) {
    }

    /**
     * @param primary             the provider that sends this channel's notifications
     * @param secondary           the provider that gets the same idempotency key and body when the
     *                            primary fails or its circuit is open; empty for none
     * @param fallbackOnUncertain whether the secondary also takes over when the primary may have
     *                            delivered (a timeout, 502, 504): the customer gets the message
     *                            at the price of maybe getting it twice, which the ledger records.
     *                            With false, such a notification is retried later with the
     *                            primary, which answers a repeated key without delivering again
     */
    public record ChannelProviders(String primary, @DefaultValue("") String secondary,
                                   @DefaultValue("true") boolean fallbackOnUncertain) {
    }

    /**
     * @param window  the window of a message type that {@code windows} does not name
     * @param windows windows by message type
     */
    public record Dedup(@DefaultValue DedupWindow window, @DefaultValue Map<String, DedupWindow> windows) {

        /**
         * The window of a message type. Property binding drops characters other than letters,
         * digits and '-' from map keys that are not in brackets, and environment variables come in
         * upper case, so both sides are compared that way: {@code daily_digest},
         * {@code DAILY-DIGEST} and {@code dailydigest} name one window only if written alike.
         */
        DedupWindow windowFor(String messageType) {
            String wanted = comparable(messageType);
            return windows.entrySet().stream().filter(entry -> comparable(entry.getKey()).equals(wanted))
                    .map(Map.Entry::getValue).findFirst().orElse(window);
        }

        private static String comparable(String messageType) {
            return messageType.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "");
        }
    }

    /**
     * @param mode   sliding: no second notification within {@code length} of the last one sent;
     *               fixed: one per period of {@code length}, periods counted from the epoch in UTC
     *               (24h is the UTC day); reference: one per business reference, e.g. a campaign
     *               run, however long it takes
     * @param length the window; 0 turns dedup off for the type
     */
    public record DedupWindow(@DefaultValue("sliding") DedupMode mode, @DefaultValue("5m") Duration length) {
    }

    public enum DedupMode {
        SLIDING,
        FIXED,
        REFERENCE
    }
}
