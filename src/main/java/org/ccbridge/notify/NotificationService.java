package org.ccbridge.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ccbridge.batch.GatherTimeoutException;
import org.ccbridge.batch.Gatherer;
import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.StoredResponse;
import org.ccbridge.normalize.TextLimit;

/**
 * {@code POST /notifications} semantics on top of the outbox: the Idempotency-Key is claimed in
 * the coordination store first, so that a second request while the first is running gets 409
 * instead of waiting on the database, and a completed one is answered from the store. The
 * outbox's own unique key stays the last guard: a claim lost with a crashed instance cannot lead
 * to a second notification.
 *
 * <p>Requests that arrive at the same moment share their round trips: a {@link Gatherer} hands
 * whatever is waiting to {@link NotificationBatch} as one batch (one claim round trip, one
 * transaction, one completion round trip), which answers each request as it would be answered
 * alone. A lone request waits for nothing. Two requests with one key in the same batch are one
 * notification: the second is answered as its replay.
 */
public class NotificationService implements AutoCloseable {

    static final Duration LEASE = Duration.ofSeconds(30);

    private final Gatherer<Submitted, Outcome> accepts;
    private final NotificationBatch batch;
    private final Duration wait;

    /** One request as the gatherer carries it. */
    private record Submitted(String client, NotificationBatch.Item item) {
    }

    /** One request's answer, or the store failure that kept it from one. */
    private record Outcome(NotificationBatch.Result result, RuntimeException failure) {
    }

    /**
     * @param maxBatch requests answered by one batch at most
     * @param workers  batches in flight at once
     * @param wait     how long a request waits for its batch before it counts as a store outage
     */
    public NotificationService(NotificationBatch batch, int maxBatch, int workers, Duration wait) {
        this.batch = batch;
        this.wait = wait;
        this.accepts = new Gatherer<>("notify-accept", maxBatch, workers, this::acceptAll);
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

    /**
     * Accepts one notification.
     *
     * @throws InvalidNotificationException       for an invalid request (400)
     * @throws NotificationInFlightException      while a request with the key is still being accepted (409)
     * @throws NotificationKeyReusedException     for the key used with another request (422)
     * @throws CoordinationStoreUnavailableException when a store does not answer (503)
     */
    public AcceptedNotification accept(String client, String idempotencyKey, NotificationRequest request) {
        return accept(client, idempotencyKey, request, null);
    }

    /** {@link #accept(String, String, NotificationRequest)} in a trace (a W3C traceparent) the send will continue. */
    public AcceptedNotification accept(String client, String idempotencyKey, NotificationRequest request,
                                       String traceParent) {
        NotificationBatch.Result result;
        try {
            Outcome outcome = accepts.call(new Submitted(client,
                    new NotificationBatch.Item(idempotencyKey, request, traceParent)), wait);
            if (outcome.failure() != null) {
                throw outcome.failure();
            }
            result = outcome.result();
        } catch (GatherTimeoutException e) {
            throw new CoordinationStoreUnavailableException("the notification was not recorded within "
                    + wait.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoordinationStoreUnavailableException("interrupted while the notification was recorded", e);
        }
        return switch (result.status()) {
            case 202 -> new AcceptedNotification(result.id(), result.replayed());
            case 409 -> throw new NotificationInFlightException();
            case 422 -> throw new NotificationKeyReusedException();
            default -> throw new InvalidNotificationException(result.detail());
        };
    }

    /**
     * One gathered batch: each client's requests as one {@link NotificationBatch}, answers in
     * order. When a store fails the batch, an invalid request still gets its 400; the others get
     * the failure (503), as each would alone.
     */
    private List<Outcome> acceptAll(List<Submitted> submitted) {
        Map<String, List<Integer>> byClient = new LinkedHashMap<>();
        for (int i = 0; i < submitted.size(); i++) {
            byClient.computeIfAbsent(submitted.get(i).client(), client -> new ArrayList<>()).add(i);
        }
        Outcome[] outcomes = new Outcome[submitted.size()];
        byClient.forEach((client, positions) -> {
            List<NotificationBatch.Item> items = new ArrayList<>(positions.size());
            positions.forEach(position -> items.add(submitted.get(position).item()));
            try {
                List<NotificationBatch.Result> answers = batch.accept(client, items);
                for (int i = 0; i < positions.size(); i++) {
                    outcomes[positions.get(i)] = new Outcome(answers.get(i), null);
                }
            } catch (RuntimeException failure) {
                for (int i = 0; i < positions.size(); i++) {
                    outcomes[positions.get(i)] = invalidOr(items.get(i), failure);
                }
            }
        });
        return List.of(outcomes);
    }

    private Outcome invalidOr(NotificationBatch.Item item, RuntimeException failure) {
        try {
            batch.validate(item);
            return new Outcome(null, failure);
        } catch (InvalidNotificationException invalid) {
            return new Outcome(NotificationBatch.Result.problem(400, "Invalid notification", invalid.getMessage()), null);
        }
    }

    @Override
    public void close() {
        accepts.close();
    }
}
