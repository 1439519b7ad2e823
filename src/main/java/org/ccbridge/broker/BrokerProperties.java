package org.ccbridge.broker;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Broker settings.
 *
 * @param queueType      {@code classic} or {@code quorum}; quorum needs RabbitMQ, the embedded
 *                       broker rejects every x-argument
 * @param confirmTimeout how long a publish outside the webhook ingress (dead letters, replays,
 *                       pulled events) waits for the broker's confirm, and opening a channel for
 *                       its RPC; a webhook's publish waits what is left of
 *                       {@code ccbridge.ingress.ack-budget}
 * @param publishChannels how many channels publishes share; fewer channels give the broker larger
 *                       confirm batches, which costs it less CPU per message
 * @param embedded       the in-process broker of the zero-install default
 */
@ConfigurationProperties("ccbridge.broker")
public record BrokerProperties(
        @DefaultValue("classic") String queueType,
        @DefaultValue("5s") Duration confirmTimeout,
        @DefaultValue("2") int publishChannels,
        @DefaultValue Embedded embedded) {

    /**
     * @param enabled  start Qpid Broker-J in this process
     * @param port     its AMQP port; not 5672, which a real RabbitMQ may hold
     * @param workDir  where its message store lives
     */
    public record Embedded(
            @DefaultValue("false") boolean enabled,
            @DefaultValue("5673") int port,
            @DefaultValue("./data/broker") Path workDir) {
    }

    public boolean quorum() {
        return "quorum".equalsIgnoreCase(queueType);
    }
}
