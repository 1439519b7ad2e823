package org.ccbridge.support;

import java.util.ArrayList;
import java.util.List;

import org.ccbridge.broker.BrokerTopology;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * Reads what ccbridge left in its queues.
 */
public final class QueueProbe {

    private final AmqpAdmin admin;
    private final RabbitTemplate rabbit;

    public QueueProbe(AmqpAdmin admin, RabbitTemplate rabbit) {
        this.admin = admin;
        this.rabbit = rabbit;
    }

    public void purgeAll() {
        BrokerTopology.QUEUES.forEach(queue -> admin.purgeQueue(queue, false));
    }

    public long depth(String queue) {
        QueueInformation info = admin.getQueueInfo(queue);
        return info == null ? -1 : info.getMessageCount();
    }

    public long interactionMessages() {
        return depth(BrokerTopology.VOICE_QUEUE) + depth(BrokerTopology.DIGITAL_QUEUE);
    }

    /** Takes every message off the queue (acknowledged). */
    public List<Message> drain(String queue) {
        List<Message> messages = new ArrayList<>();
        Message message;
        while ((message = rabbit.receive(queue, 200)) != null) {
            messages.add(message);
        }
        return messages;
    }
}
