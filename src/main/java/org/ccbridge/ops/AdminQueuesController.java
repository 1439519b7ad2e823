package org.ccbridge.ops;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.ccbridge.broker.BrokerTopology;
import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.amqp.core.QueueInformation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /admin/queues}: depth and consumers of every ccbridge queue, from a passive declare,
 * so that it works on the embedded broker, which has no management UI; and the state of each
 * lane that consumes them (a route suspended while its target's circuit is open, or shed under a
 * backlog, shows here).
 */
@RestController
class AdminQueuesController {

    private static final List<String> CONSUMER_SCHEMES = List.of("amqp-batch:", "spring-rabbitmq:");

    private final AmqpAdmin admin;
    private final CamelContext camel;

    AdminQueuesController(AmqpAdmin admin, CamelContext camel) {
        this.admin = admin;
        this.camel = camel;
    }

    /** A route that consumes from the broker, and whether it is taking messages. */
    record Lane(String route, String status, String from) {
    }

    /** The queues and the lanes that consume them. */
    record Queues(List<QueueDepth> queues, List<Lane> lanes) {
    }

    @GetMapping("/admin/queues")
    Queues queues() {
        List<QueueDepth> depths = new ArrayList<>();
        for (String name : BrokerTopology.QUEUES) {
            QueueInformation info = admin.getQueueInfo(name);
            depths.add(info == null ? new QueueDepth(name, -1, -1)
                    : new QueueDepth(name, info.getMessageCount(), info.getConsumerCount()));
        }
        return new Queues(depths, lanes());
    }

    private List<Lane> lanes() {
        List<Lane> lanes = new ArrayList<>();
        for (Route route : camel.getRoutes()) {
            String from = route.getEndpoint().getEndpointBaseUri();
            if (CONSUMER_SCHEMES.stream().anyMatch(from::startsWith)) {
                ServiceStatus status = camel.getRouteController().getRouteStatus(route.getRouteId());
                lanes.add(new Lane(route.getRouteId(), String.valueOf(status), from));
            }
        }
        lanes.sort(Comparator.comparing(Lane::route));
        return lanes;
    }
}
