package org.ccbridge.ops;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.ReturnListener;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.broker.DeadLetterProcessor;
import org.ccbridge.broker.EventPublishProcessor;
import org.ccbridge.fate.EventFate;
import org.ccbridge.fate.FateStage;
import org.ccbridge.ingress.WebhookSources;
import org.ccbridge.tracing.EventTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * The dead-letter queue for operators: its messages listed and inspected without taking them
 * (fetched unacknowledged, then given back to the queue in order), and replayed: all, oldest first, or a selection by message id. A replayed message goes
 * back to the lane its source gives its type now ({@code ccbridge.events}, or
 * {@code ccbridge.events.non-critical} for a type the source names non-critical) under its
 * original routing key, and is acked on the DLQ only
 * after the broker confirmed its republish, so a replay interrupted at any point loses nothing (at
 * worst a message is in both queues, and its effects are keyed).
 */
@Component
class DeadLetters {

    static final int MAX_REPLAY = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final long CONFIRM_TIMEOUT_MS = 5_000;

    private final ConnectionFactory connections;
    private final EventFate fate;
    private final WebhookSources sources;

    DeadLetters(ConnectionFactory connections, EventFate fate, WebhookSources sources) {
        this.connections = connections;
        this.fate = fate;
        this.sources = sources;
    }

    /**
     * A dead-lettered message as the list shows it.
     *
     * @param messageId {@code <source>:<eventId>}, what inspect and a selective replay name it by
     */
    record DeadLetter(String messageId, String source, String eventId, String type, String routingKey, String route,
                      String error, Object attempts, String firstSeen, String deadLetteredAt, String replayedAt) {
    }

    /** A dead-lettered message in full: its headers and its body as received. */
    record Inspected(DeadLetter summary, Map<String, String> headers, String contentType, String body) {
    }

    /** What a replay did: how many went back, and the selected ids it did not find on the DLQ. */
    record Replay(int replayed, List<String> notFound) {
    }

    /** Up to {@code limit} messages from the head of the DLQ, left where they are. */
    List<DeadLetter> list(int limit) throws Exception {
        List<DeadLetter> found = new ArrayList<>();
        browse(limit, message -> {
            found.add(summary(message.getProps()));
            return true;
        });
        return found;
    }

    /** The first message with this id among the first {@value #MAX_REPLAY}, left where it is. */
    Optional<Inspected> inspect(String messageId) throws Exception {
        Inspected[] found = new Inspected[1];
        browse(MAX_REPLAY, message -> {
            if (!messageId.equals(message.getProps().getMessageId())) {
                return true;
            }
            found[0] = new Inspected(summary(message.getProps()), text(headers(message.getProps())),
                    message.getProps().getContentType(), new String(message.getBody(), StandardCharsets.UTF_8));
            return false;
        });
        return Optional.ofNullable(found[0]);
    }

    /** Replays up to {@code limit} messages from the head of the DLQ. */
    Replay replayAll(int limit) throws Exception {
        return replay(limit, null);
    }

    /** Replays the messages with these ids, looking through at most {@value #MAX_REPLAY} messages. */
    Replay replaySelected(Set<String> messageIds) throws Exception {
        return replay(MAX_REPLAY, new LinkedHashSet<>(messageIds));
    }

    private Replay replay(int limit, Set<String> selection) throws Exception {
        int replayed = 0;
        int seen = 0;
        try (Connection connection = connections.createConnection();
             Channel channel = connection.createChannel(false)) {
            channel.confirmSelect();
            // a mandatory message no queue takes comes back before its confirm: it stays on the DLQ
            AtomicBoolean returned = new AtomicBoolean();
            ReturnListener listener = (code, text, exchange, key, properties, body) -> returned.set(true);
            channel.addReturnListener(listener);
            List<Long> held = new ArrayList<>();
            try {
                while (seen < limit && (selection == null ? replayed < limit : !selection.isEmpty())) {
                    GetResponse message = channel.basicGet(BrokerTopology.DEAD_LETTER_QUEUE, false);
                    if (message == null) {
                        break;
                    }
                    seen++;
                    long tag = message.getEnvelope().getDeliveryTag();
                    held.add(tag);
                    if (selection != null && !selection.remove(message.getProps().getMessageId())) {
                        continue; // not selected: given back below
                    }
                    replayed += republish(channel, returned, message, replayed);
                    held.remove(tag);
                }
            } finally {
                giveBack(channel, held);
                // the channel goes back to the factory's cache: it must not keep this replay's listener
                channel.removeReturnListener(listener);
            }
        }
        LOG.info("Replayed {} dead-lettered messages", replayed);
        return new Replay(replayed, selection == null ? List.of() : List.copyOf(selection));
    }

    /** Republishes one message and acks it once confirmed; 1 when done. */
    private int republish(Channel channel, AtomicBoolean returned, GetResponse message, int replayedBefore)
            throws Exception {
        String routingKey = routingKey(message);
        String exchange = exchangeFor(message);
        channel.basicPublish(exchange, routingKey, true, replayProperties(message.getProps()), message.getBody());
        channel.waitForConfirmsOrDie(CONFIRM_TIMEOUT_MS);
        if (returned.get()) {
            throw new IllegalStateException("no queue is bound for routing key " + routingKey
                    + "; the message stays on the DLQ (" + replayedBefore + " replayed before it)");
        }
        channel.basicAck(message.getEnvelope().getDeliveryTag(), false);
        tellReplay(message, exchange, routingKey);
        return 1;
    }

    /**
     * The lane a replayed event takes: as its source counts its type now, so that a non-critical
     * event goes back to the lane that is shed under load rather than to its channel's queue. An
     * event of a source no longer configured goes to the channel exchange.
     */
    private String exchangeFor(GetResponse message) {
        Map<String, Object> headers = headers(message.getProps());
        String type = text(headers.get(EventPublishProcessor.TYPE_HEADER));
        boolean critical = sources.find(text(headers.get(EventPublishProcessor.SOURCE_HEADER)))
                .map(source -> source.critical(type)).orElse(true);
        return BrokerTopology.exchangeFor(critical);
    }

    /**
     * Returns the messages fetched and not acked, one by one in order, to the queue. Closing the
     * channel is not enough: the connection factory caches channels, and a cached one keeps what it holds.
     */
    private static void giveBack(Channel channel, List<Long> held) throws Exception {
        for (long tag : held) {
            channel.basicNack(tag, false, true);
        }
    }

    /** Fetches up to {@code limit} messages unacknowledged while {@code visit} says go on; all go back to the queue. */
    private void browse(int limit, Predicate<GetResponse> visit) throws Exception {
        try (Connection connection = connections.createConnection();
             Channel channel = connection.createChannel(false)) {
            List<Long> held = new ArrayList<>();
            try {
                for (int i = 0; i < limit; i++) {
                    GetResponse message = channel.basicGet(BrokerTopology.DEAD_LETTER_QUEUE, false);
                    if (message == null) {
                        break;
                    }
                    held.add(message.getEnvelope().getDeliveryTag());
                    if (!visit.test(message)) {
                        break;
                    }
                }
            } finally {
                giveBack(channel, held);
            }
        }
    }

    private void tellReplay(GetResponse message, String exchange, String routingKey) {
        Map<String, Object> headers = headers(message.getProps());
        fate.recordInTrace(EventTracing.sampledTraceId(text(headers.get(EventTracing.TRACEPARENT))),
                text(headers.get(EventPublishProcessor.SOURCE_HEADER)),
                text(headers.get(EventPublishProcessor.EVENT_ID_HEADER)), FateStage.REPLAYED,
                text(headers.get(EventPublishProcessor.RECORD_KEY_HEADER)),
                Map.of("exchange", exchange, "routingKey", routingKey));
    }

    private static DeadLetter summary(AMQP.BasicProperties props) {
        Map<String, Object> headers = headers(props);
        Object attempts = headers.get(DeadLetterProcessor.ATTEMPTS_HEADER);
        return new DeadLetter(props.getMessageId(), text(headers.get(EventPublishProcessor.SOURCE_HEADER)),
                text(headers.get(EventPublishProcessor.EVENT_ID_HEADER)), text(headers.get(EventPublishProcessor.TYPE_HEADER)),
                text(headers.get(DeadLetterProcessor.ROUTING_KEY_HEADER)), text(headers.get(DeadLetterProcessor.ROUTE_HEADER)),
                text(headers.get(DeadLetterProcessor.ERROR_HEADER)), attempts instanceof Number ? attempts : text(attempts),
                text(headers.get(DeadLetterProcessor.FIRST_SEEN_HEADER)),
                text(headers.get(DeadLetterProcessor.DEAD_LETTERED_AT_HEADER)), text(headers.get("ccbridge-replayed-at")));
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

    private static Map<String, String> text(Map<String, Object> headers) {
        Map<String, String> text = new TreeMap<>();
        headers.forEach((name, value) -> text.put(name, text(value)));
        return text;
    }

    /** AMQP headers arrive as LongStrings. */
    private static String text(Object header) {
        return header == null ? null : header.toString();
    }
}
