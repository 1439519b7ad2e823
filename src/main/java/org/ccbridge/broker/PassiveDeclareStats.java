package org.ccbridge.broker;

import java.util.Optional;

import org.springframework.amqp.core.AmqpAdmin;

/** Depth by passive declare, which RabbitMQ and the embedded broker both answer; no rates. */
public class PassiveDeclareStats implements QueueStatsSource {

    private final AmqpAdmin admin;

    public PassiveDeclareStats(AmqpAdmin admin) {
        this.admin = admin;
    }

    @Override
    public Optional<QueueStats> read(String queue) {
        return Optional.ofNullable(admin.getQueueInfo(queue)).map(info -> QueueStats.depthOnly(info.getMessageCount()));
    }
}
