package org.ccbridge.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which adapter holds hot state, and how long a call to it may take.
 *
 * @param type      {@code jdbc} (the embedded default, H2 or PostgreSQL) or {@code redis}
 * @param timeout   the budget of one store call; past it the ingress answers 503, because a
 *                  slow store turns into sender timeouts and retry storms. Defaults to the ingress
 *                  ack budget ({@code ccbridge.ingress.ack-budget}), whose first wait is the claim
 * @param keyPrefix prefix of every Redis key, so that one Redis can serve several deployments
 */
@ConfigurationProperties("ccbridge.store")
public record StoreProperties(
        @DefaultValue("jdbc") Type type,
        @DefaultValue("200ms") Duration timeout,
        @DefaultValue("ccbridge:") String keyPrefix) {

    public enum Type { JDBC, REDIS }
}
