package org.ccbridge.notify;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelContextConfiguration;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.coordination.GatewayProperties;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.RateLimits;
import org.ccbridge.normalize.ValueNormalizer;
import org.ccbridge.routes.TemplatedRoutes;
import org.ccbridge.tracing.EventTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class NotifyConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyConfiguration.class);

    @Bean
    NotificationOutbox notificationOutbox(JdbcTemplate jdbc, TransactionTemplate transactions,
                                          ValueNormalizer normalizer, Clock clock) {
        return new NotificationOutbox(jdbc, transactions, normalizer, clock);
    }

    @Bean(NotificationEnqueueSteps.BEAN)
    NotificationEnqueueSteps notificationEnqueueSteps(NotificationOutbox outbox, EventTracing tracing) {
        return new NotificationEnqueueSteps(outbox, tracing);
    }

    @Bean
    NotificationLedger notificationLedger(JdbcTemplate jdbc) {
        return new NotificationLedger(jdbc);
    }

    @Bean
    NotificationQueries notificationQueries(JdbcTemplate jdbc, TransactionTemplate transactions,
                                            NotificationLedger ledger, Clock clock) {
        return new NotificationQueries(jdbc, transactions, ledger, clock);
    }

    @Bean
    DedupWindows dedupWindows(JdbcTemplate jdbc, TransactionTemplate transactions, NotificationLedger ledger,
                              NotifyProperties properties) {
        return new DedupWindows(jdbc, transactions, ledger, properties.dedup());
    }

    @Bean(NotificationSendSteps.BEAN)
    NotificationSendSteps notificationSendSteps() {
        return new NotificationSendSteps();
    }

    @Bean
    Map<String, ChannelRoute> notificationChannels(NotifyProperties properties, OAuthTokenCache tokens,
                                                   RateLimits rateLimits, ObjectProvider<MeterRegistry> meters) {
        Map<String, ChannelRoute> routes = providersByChannel(properties, tokens, rateLimits);
        meters.ifAvailable(registry -> providersOf(routes).forEach(provider -> Gauge.builder(
                        "ccbridge.notify.provider.concurrency", provider, HttpNotificationProvider::concurrencyLimit)
                .description("Calls at once the provider gets now, as its adaptive limit has found")
                .tag("provider", provider.name()).register(registry)));
        return routes;
    }

    /** The providers' pooled connections close with the application context. */
    @Bean
    DisposableBean notificationProviderConnections(Map<String, ChannelRoute> notificationChannels) {
        return () -> providersOf(notificationChannels).forEach(HttpNotificationProvider::close);
    }

    @Bean
    OutboxRelay outboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, NotifyProperties properties,
                            Map<String, ChannelRoute> notificationChannels, NotificationLedger ledger,
                            DedupWindows windows, Clock clock, ProducerTemplate producer) {
        return new OutboxRelay(jdbc, transactions, properties.relay(), notificationChannels, ledger, windows, clock,
                new RouteAttemptSender(producer));
    }

    /**
     * Once the route files are loaded: one route per provider from the template
     * {@code notify-provider}, with the provider's circuit breaker bound for it; then the relay.
     */
    @Bean
    CamelContextConfiguration notificationProviderRoutes(Map<String, ChannelRoute> notificationChannels,
                                                         TemplatedRoutes templatedRoutes, OutboxRelayRunner runner) {
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                // the routes come from files, which are not loaded yet
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                NotificationProviderRoutes.create(camel, templatedRoutes, providersOf(notificationChannels));
                runner.start();
            }
        };
    }

    static List<HttpNotificationProvider> providersOf(Map<String, ChannelRoute> channels) {
        return channels.values().stream().flatMap(route -> route.providers().stream()).distinct().toList();
    }

    /** Per channel, the primary provider and then the secondary, if one is configured. */
    static Map<String, ChannelRoute> providersByChannel(NotifyProperties properties, OAuthTokenCache tokens,
                                                        RateLimits rateLimits) {
        Map<String, HttpNotificationProvider> providers = new HashMap<>();
        properties.providers().forEach((name, settings) -> providers.put(name,
                new HttpNotificationProvider(name, settings, tokens, rateLimits)));
        Map<String, ChannelRoute> byChannel = new HashMap<>();
        properties.channels().forEach((channel, choice) -> {
            Channel.parse(channel);
            List<HttpNotificationProvider> chosen = new ArrayList<>();
            chosen.add(provider(providers, channel, "primary", choice.primary()));
            if (!choice.secondary().isEmpty()) {
                chosen.add(provider(providers, channel, "secondary", choice.secondary()));
            }
            Duration longest = chosen.stream().map(HttpNotificationProvider::longestSend).reduce(Duration.ZERO, Duration::plus);
            if (properties.relay().lease().compareTo(longest) <= 0) {
                // a row whose send outlasts its lease may be sent by a second relay as well (to a
                // provider that deduplicates the key, but still): say so at startup
                LOG.warn("ccbridge.notify.relay.lease ({}) is not longer than the longest send of channel {} ({}: "
                        + "twice each provider's timeout, plus rate-limit waits); raise it", properties.relay().lease(),
                        channel, longest);
            }
            byChannel.put(channel.toLowerCase(Locale.ROOT), new ChannelRoute(chosen, choice.fallbackOnUncertain()));
        });
        return byChannel;
    }

    private static HttpNotificationProvider provider(Map<String, HttpNotificationProvider> providers, String channel,
                                                     String role, String name) {
        HttpNotificationProvider provider = providers.get(name);
        if (provider == null) {
            throw new IllegalStateException("ccbridge.notify.channels." + channel + "." + role + " names provider "
                    + name + ", which ccbridge.notify.providers does not configure");
        }
        return provider;
    }

    @Bean
    OutboxRelayRunner outboxRelayRunner(OutboxRelay relay, NotifyProperties properties) {
        return new OutboxRelayRunner(relay, properties.relay());
    }

    /** Idempotency-Key records are kept as long as the gateway keeps its own (24 h by default). */
    @Bean
    NotificationService notificationService(NotificationBatch batch, NotifyProperties properties) {
        NotifyProperties.Accept accept = properties.accept();
        return new NotificationService(batch, accept.maxBatch(), accept.workers(), accept.maxWait());
    }

    @Bean
    NotificationBatch notificationBatch(NotificationOutbox outbox, IdempotencyStore keys, GatewayProperties gateway) {
        return new NotificationBatch(outbox, keys, gateway.keyTtl());
    }
}
