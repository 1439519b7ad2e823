package org.ccbridge.notify;

import java.time.Clock;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.ccbridge.coordination.GatewayProperties;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.normalize.ValueNormalizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class NotifyConfiguration {

    @Bean
    NotificationOutbox notificationOutbox(JdbcTemplate jdbc, TransactionTemplate transactions,
                                          ValueNormalizer normalizer, Clock clock) {
        return new NotificationOutbox(jdbc, transactions, normalizer, clock);
    }

    @Bean
    NotificationEnqueueProcessor notificationEnqueueProcessor(NotificationOutbox outbox) {
        return new NotificationEnqueueProcessor(outbox);
    }

    @Bean
    OutboxRelay outboxRelay(JdbcTemplate jdbc, TransactionTemplate transactions, NotifyProperties properties,
                            Clock clock) {
        Map<String, HttpNotificationProvider> providers = new HashMap<>();
        properties.providers().forEach((name, settings) -> providers.put(name, new HttpNotificationProvider(name, settings)));
        Map<String, HttpNotificationProvider> byChannel = new HashMap<>();
        properties.channels().forEach((channel, choice) -> {
            HttpNotificationProvider provider = providers.get(choice.primary());
            if (provider == null) {
                throw new IllegalStateException("ccbridge.notify.channels." + channel + ".primary names provider "
                        + choice.primary() + ", which ccbridge.notify.providers does not configure");
            }
            byChannel.put(channel.toLowerCase(Locale.ROOT), provider);
        });
        return new OutboxRelay(jdbc, transactions, properties.relay(), byChannel, clock);
    }

    @Bean
    OutboxRelayRunner outboxRelayRunner(OutboxRelay relay, NotifyProperties properties) {
        return new OutboxRelayRunner(relay, properties.relay());
    }

    /** Idempotency-Key records are kept as long as the gateway keeps its own (24 h by default). */
    @Bean
    NotificationService notificationService(NotificationOutbox outbox, IdempotencyStore keys,
                                            GatewayProperties gateway) {
        return new NotificationService(outbox, keys, gateway.keyTtl());
    }
}
