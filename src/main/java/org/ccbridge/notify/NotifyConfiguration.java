package org.ccbridge.notify;

import java.time.Clock;

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

    /** Idempotency-Key records are kept as long as the gateway keeps its own (24 h by default). */
    @Bean
    NotificationService notificationService(NotificationOutbox outbox, IdempotencyStore keys,
                                            GatewayProperties gateway) {
        return new NotificationService(outbox, keys, gateway.keyTtl());
    }
}
