package org.ccbridge.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.TextNode;

import org.ccbridge.normalize.FieldType;
import org.ccbridge.normalize.InvalidFieldValueException;
import org.ccbridge.normalize.TextLimit;
import org.ccbridge.normalize.ValueNormalizer;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a notification and its outbox row in one transaction, the caller's when there is one
 * (a transacted route), keyed by the caller's Idempotency-Key: the same key with the same request
 * answers the notification written first, with another request it is refused.
 *
 * <p>The key is composite: client, customer id, message type and the caller's key name one
 * logical transaction, so two customers' transactions that share a caller key (an order number
 * reused across tenants, say) are two notifications, and each gets its own outbox id, the key
 * the providers see.
 */
public class NotificationOutbox {

    private static final int MAX_BODY = 10_000;
    private static final String INSERT_NOTIFICATION = "INSERT INTO ccbridge_notifications (id, client, idempotency_key, "
            + "request_hash, channel, recipient, template, body, customer_id, message_type, business_reference, status, "
            + "created_at, trace_parent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?)";
    private static final String INSERT_OUTBOX = "INSERT INTO ccbridge_outbox (notification_id, status, attempts, "
            + "next_attempt_at, created_at) VALUES (?, 'PENDING', 0, ?, ?)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final ValueNormalizer normalizer;
    private final Clock clock;

    public NotificationOutbox(JdbcTemplate jdbc, TransactionTemplate transactions, ValueNormalizer normalizer, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.normalizer = normalizer;
        this.clock = clock;
    }

    /** The request checked and normalized: phone recipients in E.164, emails lower-cased. */
    public NotificationRequest validate(NotificationRequest request) {
        Channel channel = Channel.parse(request.channel());
        require(request.recipient(), "recipient");
        require(request.customerId(), "customerId");
        require(request.messageType(), "messageType");
        within(TextLimit.RECIPIENT, "recipient", request.recipient());
        within(TextLimit.CUSTOMER_ID, "customerId", request.customerId());
        within(TextLimit.MESSAGE_TYPE, "messageType", request.messageType());
        within(TextLimit.TEMPLATE, "template", request.template());
        within(TextLimit.BUSINESS_REFERENCE, "businessReference", request.businessReference());
        boolean hasTemplate = request.template() != null && !request.template().isBlank();
        boolean hasBody = request.body() != null && !request.body().isBlank();
        if (hasTemplate == hasBody) {
            throw new InvalidNotificationException("give either template or body");
        }
        if (hasBody && request.body().length() > MAX_BODY) {
            throw new InvalidNotificationException("body is longer than " + MAX_BODY + " characters");
        }
        String recipient;
        try {
            recipient = normalizer.canonical("recipient", channel == Channel.EMAIL ? FieldType.EMAIL : FieldType.PHONE,
                    TextNode.valueOf(request.recipient()));
        } catch (InvalidFieldValueException e) {
            throw new InvalidNotificationException(e.getMessage());
        }
        return new NotificationRequest(channel.name().toLowerCase(Locale.ROOT), recipient, request.template(),
                request.body(), request.customerId().trim(), request.messageType().trim(), request.businessReference());
    }

    /** SHA-256 of the normalized request, to tell a retry from a reused key. */
    public static String hash(NotificationRequest valid) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(valid.channel(), valid.recipient(), String.valueOf(valid.template()),
                    String.valueOf(valid.body()), valid.customerId(), valid.messageType(),
                    String.valueOf(valid.businessReference()))) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                digest.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
                digest.update(bytes);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /**
     * Writes a validated request unless its key was used already.
     *
     * @throws NotificationKeyReusedException when the key was used with another request
     */
    public AcceptedNotification enqueue(String client, String idempotencyKey, NotificationRequest valid) {
        return enqueue(client, idempotencyKey, valid, null);
    }

    /** {@link #enqueue(String, String, NotificationRequest)} in a trace (a W3C traceparent) the send will continue. */
    public AcceptedNotification enqueue(String client, String idempotencyKey, NotificationRequest valid,
                                        String traceParent) {
        String hash = hash(valid);
        return transactions.execute(status -> {
            Optional<String[]> existing = findByKey(client, idempotencyKey, valid);
            if (existing.isPresent()) {
                if (!existing.get()[1].equals(hash)) {
                    throw new NotificationKeyReusedException();
                }
                return new AcceptedNotification(existing.get()[0], true);
            }
            String id = UUID.randomUUID().toString();
            long now = clock.millis();
            jdbc.update(INSERT_NOTIFICATION, id, client, idempotencyKey, hash,
                    valid.channel(), valid.recipient(), valid.template(), valid.body(), valid.customerId(),
                    valid.messageType(), valid.businessReference(), now, traceParent);
            jdbc.update(INSERT_OUTBOX, id, now, now);
            return new AcceptedNotification(id, false);
        });
    }

    /** One request of {@link #enqueueAll}: validated, under its caller's Idempotency-Key, with its trace or null. */
    public record Keyed(String idempotencyKey, NotificationRequest valid, String traceParent) {

        public Keyed(String idempotencyKey, NotificationRequest valid) {
            this(idempotencyKey, valid, null);
        }
    }

    /** What {@link #enqueueAll} made of one request: accepted (new or replayed), or its key was used with another request. */
    public record Enqueued(AcceptedNotification accepted, NotificationKeyReusedException refused) {
    }

    /**
     * {@link #enqueue} for many requests in one transaction: the notifications in one batch of
     * inserts that skips keys already used, the outbox rows of the new ones in another. Only a
     * skipped key is read back, to tell a replay from a reused key. The requests' keys must be
     * distinct (client, customer, message type and key).
     */
    public List<Enqueued> enqueueAll(String client, List<Keyed> requests) {
        return transactions.execute(status -> {
            long now = clock.millis();
            List<String> ids = new ArrayList<>(requests.size());
            List<String> hashes = new ArrayList<>(requests.size());
            List<Object[]> notifications = new ArrayList<>(requests.size());
            for (Keyed request : requests) {
                NotificationRequest valid = request.valid();
                String id = UUID.randomUUID().toString();
                String hash = hash(valid);
                ids.add(id);
                hashes.add(hash);
                notifications.add(new Object[] {id, client, request.idempotencyKey(), hash, valid.channel(),
                    valid.recipient(), valid.template(), valid.body(), valid.customerId(), valid.messageType(),
                    valid.businessReference(), now, request.traceParent()});
            }
            int[] inserted = jdbc.batchUpdate(INSERT_NOTIFICATION + " ON CONFLICT DO NOTHING", notifications);
            List<Object[]> outboxRows = new ArrayList<>(requests.size());
            List<Enqueued> results = new ArrayList<>(requests.size());
            for (int i = 0; i < requests.size(); i++) {
                if (inserted[i] == 1 || inserted[i] == java.sql.Statement.SUCCESS_NO_INFO) {
                    outboxRows.add(new Object[] {ids.get(i), now, now});
                    results.add(new Enqueued(new AcceptedNotification(ids.get(i), false), null));
                } else {
                    // the key was used before (a claim store that lost its records): answer as enqueue does
                    results.add(existing(client, requests.get(i), hashes.get(i)));
                }
            }
            if (!outboxRows.isEmpty()) {
                jdbc.batchUpdate(INSERT_OUTBOX, outboxRows);
            }
            return results;
        });
    }

    private Enqueued existing(String client, Keyed request, String hash) {
        String[] found = findByKey(client, request.idempotencyKey(), request.valid()).orElseThrow(() ->
                new IllegalStateException("a notification insert was skipped but no row holds its key"));
        return found[1].equals(hash) ? new Enqueued(new AcceptedNotification(found[0], true), null)
                : new Enqueued(null, new NotificationKeyReusedException());
    }

    /** The id and request hash of the notification written under this key, if any. */
    private Optional<String[]> findByKey(String client, String idempotencyKey, NotificationRequest valid) {
        return jdbc.query("SELECT id, request_hash FROM ccbridge_notifications "
                        + "WHERE client = ? AND customer_id = ? AND message_type = ? AND idempotency_key = ?",
                (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, client, valid.customerId(),
                valid.messageType(), idempotencyKey).stream().findFirst();
    }

    private static void within(TextLimit limit, String name, String value) {
        String problem = limit.problem(name, value);
        if (problem != null) {
            throw new InvalidNotificationException(problem);
        }
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new InvalidNotificationException(name + " is required");
        }
    }
}
