package org.ccbridge.ops;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.broker.DeadLetterProcessor;
import org.ccbridge.broker.EventPublishProcessor;
import org.ccbridge.fate.EventFate;
import org.ccbridge.fate.FateStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /admin/dlq/replay?limit=N}: moves up to N dead-lettered messages, oldest first, back
 * to {@code ccbridge.events} under their original routing key, so that their worker route takes
 * them again. Each is acked on the DLQ only after the broker confirmed its republish: a replay
 * interrupted at any point loses nothing (at worst a message is in both queues, and its effects
 * are keyed).
 */
@RestController
class AdminDeadLetterController {

    private static final Logger LOG = LoggerFactory.getLogger(AdminDeadLetterController.class);
    private static final int MAX_REPLAY = 10_000;
    private static final long CONFIRM_TIMEOUT_MS = 5_000;

    private final ConnectionFactory connections;
    private final EventFate fate;

    AdminDeadLetterController(ConnectionFactory connections, EventFate fate) {
        this.connections = connections;
        this.fate = fate;
    }

    @PostMapping("/admin/dlq/replay")
    Map<String, Object> replay(@RequestParam(defaultValue = "100") int limit) throws Exception {
        if (limit < 1 || limit > MAX_REPLAY) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_REPLAY);
        }
        int replayed = 0;
        try (Connection connection = connections.createConnection();
             Channel channel = connection.createChannel(false)) {
            channel.confirmSelect();
            // a mandatory message no queue takes comes back before its confirm: it stays on the DLQ
            AtomicBoolean returned = new AtomicBoolean();
            channel.addReturnListener(unroutable -> returned.set(true));
            while (replayed < limit) {
                GetResponse message = channel.basicGet(BrokerTopology.DEAD_LETTER_QUEUE, false);
                if (message == null) {
                    break;
                }
                String routingKey = routingKey(message);
                channel.basicPublish(BrokerTopology.EVENTS_EXCHANGE, routingKey, true,
                        replayProperties(message.getProps()), message.getBody());
                channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
                if (returned.get()) {
                    channel.basicNack(message.getEnvelope().getDeliveryTag(), false, true);
                    throw new IllegalStateException("no queue is bound for routing key " + routingKey
                            + "; the message stays on the DLQ (" + replayed + " replayed before it)");
                }
                channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
                replayed++;
                tellReplay(message, routingKey);
            }
        }
        LOG.info("Replayed {} dead-lettered messages", replayed);
        return Map.of("replayed", replayed);
    }

    private void tellReplay(GetResponse message, String routingKey) {
        Map<String, Object> headers = headers(message.getProps());
        fate.record(text(headers.get(EventPublishProcessor.SOURCE_HEADER)),
                text(headers.get(EventPublishProcessor.EVENT_ID_HEADER)), FateStage.REPLAYED,
                text(headers.get(EventPublishProcessor.RECORD_KEY_HEADER)),
                Map.of("exchange", BrokerTopology.EVENTS_EXCHANGE, "routingKey", routingKey));
    }

    /** AMQP headers arrive as LongStrings. */
    private static String text(Object header) {
        return header == null ? null : header.toString();
    }

    private static String routingKey(GetResponse message) {
        Object key = headers(message.getProps()).get(DeadLetterProcessor.ROUTING_KEY_HEADER);
        if (key == null) {
            throw new IllegalStateException("a dead-lettered message has no " + DeadLetterProcessor.ROUTING_KEY_HEADER
                    + " header; it was left on the DLQ");
        }
        return key.toString();
    }

    private static AMQP.BasicProperties replayProperties(AMQP.BasicProperties original) {
        Map<String, Object> headers = new HashMap<>(headers(original));
        // the error belongs to the last run; first-seen and attempts stay for the record
        headers.remove(DeadLetterProcessor.ERROR_HEADER);
        headers.put("ccbridge-replayed-at", Instant.now().toString());
        return original.builder().headers(headers).deliveryMode(2).build();
    }

    private static Map<String, Object> headers(AMQP.BasicProperties properties) {
        return properties.getHeaders() == null ? Map.of() : properties.getHeaders();
    }
}
