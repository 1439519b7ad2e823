package org.ccbridge.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.ccbridge.coordination.IdempotencyClaim;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.StoredResponse;
import org.ccbridge.normalize.TextLimit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /notifications} semantics on top of the outbox: the Idempotency-Key is claimed in
 * the coordination store first, so that a second request while the first is running gets 409
 * instead of waiting on the database, and a completed one is answered from the store. The
 * outbox's own unique key stays the last guard: a claim lost with a crashed instance cannot lead
 * to a second notification.
 */
public class NotificationService {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationService.class);
    static final Duration LEASE = Duration.ofSeconds(30);

    private final NotificationOutbox outbox;
    private final IdempotencyStore keys;
    private final Duration keyTtl;

    public NotificationService(NotificationOutbox outbox, IdempotencyStore keys, Duration keyTtl) {
        this.outbox = outbox;
        this.keys = keys;
        this.keyTtl = keyTtl;
    }

    /** The coordination-store key of one logical transaction; each part length-prefixed, so no two tuples share it. */
    static String scopedKey(String client, NotificationRequest valid, String idempotencyKey) {
        StringBuilder key = new StringBuilder("notify");
        for (String part : new String[] {client, valid.customerId(), valid.messageType(), idempotencyKey}) {
            key.append(':').append(part.length()).append(':').append(part);
        }
        return key.toString();
    }

    /** What is wrong with an Idempotency-Key as a caller sent it ({@code where}: how they send it); null when it will do. */
    static String keyProblem(String key, String where) {
        if (key == null || key.isBlank() || TextLimit.IDEMPOTENCY_KEY.problem("Idempotency-Key", key) != null) {
            return "send " + where + " (1 to " + TextLimit.IDEMPOTENCY_KEY.maxLength()
                    + " characters, no control characters), the same on every retry of one notification";
        }
        return null;
    }

    /** The answer kept under the key for the retries. */
    static StoredResponse storedAnswer(AcceptedNotification accepted) {
        return new StoredResponse(202, Map.of(), accepted.id().getBytes(StandardCharsets.UTF_8));
    }

    public AcceptedNotification accept(String client, String idempotencyKey, NotificationRequest request) {
        NotificationRequest valid = outbox.validate(request);
        String scopedKey = scopedKey(client, valid, idempotencyKey);
        IdempotencyClaim claim = keys.claim(scopedKey, NotificationOutbox.hash(valid), LEASE);
        switch (claim.state()) {
            case COMPLETED:
                return new AcceptedNotification(new String(claim.response().body(), StandardCharsets.UTF_8), true);
            case IN_FLIGHT:
                throw new NotificationInFlightException();
            case MISMATCH:
                throw new NotificationKeyReusedException();
            default:
                break;
        }
        AcceptedNotification accepted;
        try {
            accepted = outbox.enqueue(client, idempotencyKey, valid);
        } catch (RuntimeException e) {
            keys.release(scopedKey, claim.token());
            throw e;
        }
        if (!keys.complete(scopedKey, claim.token(), storedAnswer(accepted), keyTtl)) {
            // the outbox's unique key answers the retry just as well
            LOG.warn("Notification {} accepted but its Idempotency-Key claim had run out", accepted.id());
        }
        return accepted;
    }
}
