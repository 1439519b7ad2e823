package org.ccbridge.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ccbridge.broker.BrokerTopology;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/queues}: depth of every ccbridge queue, from a passive declare, so that it
 * works on the embedded broker, which has no management UI.
 */
@RestController
class AdminQueuesController {

    private final AmqpAdmin admin;

    AdminQueuesController(AmqpAdmin admin) {
        this.admin = admin;
    }

    @GetMapping("/admin/queues")
    Map<String, List<QueueDepth>> queues() {
        List<QueueDepth> depths = new ArrayList<>();
        for (String name : BrokerTopology.QUEUES) {
            QueueInformation info = admin.getQueueInfo(name);
            depths.add(info == null ? new QueueDepth(name, -1, -1)
                    : new QueueDepth(name, info.getMessageCount(), info.getConsumerCount()));
        }
        return Map.of("queues", depths);
    }
}
