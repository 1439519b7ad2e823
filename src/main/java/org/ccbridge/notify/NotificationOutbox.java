package org.ccbridge.notify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
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
        String hash = hash(valid);
        return transactions.execute(status -> {
            List<String[]> existing = jdbc.query("SELECT id, request_hash FROM ccbridge_notifications "
                    + "WHERE client = ? AND customer_id = ? AND message_type = ? AND idempotency_key = ?",
                    (rs, i) -> new String[] {rs.getString(1), rs.getString(2)}, client, valid.customerId(),
                    valid.messageType(), idempotencyKey);
            if (!existing.isEmpty()) {
                if (!existing.get(0)[1].equals(hash)) {
                    throw new NotificationKeyReusedException();
                }
                return new AcceptedNotification(existing.get(0)[0], true);
            }
            String id = UUID.randomUUID().toString();
            long now = clock.millis();
            jdbc.update("INSERT INTO ccbridge_notifications (id, client, idempotency_key, request_hash, channel, recipient, "
                    + "template, body, customer_id, message_type, business_reference, status, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)", id, client, idempotencyKey, hash,
                    valid.channel(), valid.recipient(), valid.template(), valid.body(), valid.customerId(),
                    valid.messageType(), valid.businessReference(), now);
            jdbc.update("INSERT INTO ccbridge_outbox (notification_id, status, attempts, next_attempt_at, created_at) "
                    + "VALUES (?, 'PENDING', 0, ?, ?)", id, now, now);
            return new AcceptedNotification(id, false);
        });
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
