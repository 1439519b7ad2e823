package org.ccbridge.notify;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.IdempotencyClaim;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.StoredResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /notifications:batch}: many notifications, each under its own Idempotency-Key and
 * answered on its own exactly as {@link NotificationService#accept} would answer it alone (202,
 * 202 replayed, 400, 409, 422), at the cost of one claim round trip, one transaction and one
 * completion round trip for the lot. Two items of a batch with the same key are one notification:
 * the second is answered as a retry of the first.
 *
 * <p>A store that does not answer before the transaction commits fails the whole batch (503,
 * nothing stored; the claims taken are released). Once it has committed, the items are answered
 * as accepted even when their claims cannot be completed: a retry then meets 409 until the
 * claims' lease ends, and the outbox's unique key answers it with the same ids.
 */
public class NotificationBatch {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationBatch.class);

    private final NotificationOutbox outbox;
    private final IdempotencyStore keys;
    private final Duration keyTtl;

    public NotificationBatch(NotificationOutbox outbox, IdempotencyStore keys, Duration keyTtl) {
        this.outbox = outbox;
        this.keys = keys;
        this.keyTtl = keyTtl;
    }

    /** One notification of a batch, its key, and the trace it was asked for in (a W3C traceparent, or null). */
    public record Item(String idempotencyKey, NotificationRequest request, String traceParent) {

        /** An item asked for outside any trace. */
        public Item(String idempotencyKey, NotificationRequest request) {
            this(idempotencyKey, request, null);
        }
    }

    /**
     * One item's answer.
     *
     * @param status   its HTTP status, as the single request would have it
     * @param id       the notification id when accepted
     * @param replayed whether an earlier request with the key was answered
     * @param title    the problem's title when not accepted
     * @param detail   the problem's detail when not accepted
     */
    public record Result(int status, String id, boolean replayed, String title, String detail) {

        static Result accepted(AcceptedNotification accepted) {
            return new Result(202, accepted.id(), accepted.replayed(), null, null);
        }

        static Result problem(int status, String title, String detail) {
            return new Result(status, null, false, title, detail);
        }
    }

    /** Answers every item, in order. */
    public List<Result> accept(String client, List<Item> items) {
        Result[] results = new Result[items.size()];
        // the first item of each key is claimed; later ones with the same key follow it
        Map<String, Integer> firstOfKey = new HashMap<>();
        List<Integer> claimed = new ArrayList<>();
        List<Integer> followers = new ArrayList<>();
        List<NotificationRequest> valid = new ArrayList<>(items.size());
        List<String> scopedKeys = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            valid.add(null);
            scopedKeys.add(null);
            Item item = items.get(i);
            try {
                valid.set(i, validate(item));
            } catch (InvalidNotificationException e) {
                results[i] = Result.problem(400, "Invalid notification", e.getMessage());
                continue;
            }
            scopedKeys.set(i, NotificationService.scopedKey(client, valid.get(i), item.idempotencyKey()));
            if (firstOfKey.putIfAbsent(scopedKeys.get(i), i) == null) {
                claimed.add(i);
            } else {
                followers.add(i);
            }
        }
        acceptClaimed(client, items, valid, scopedKeys, claimed, results);
        for (int i : followers) {
            int first = firstOfKey.get(scopedKeys.get(i));
            results[i] = follow(results[first], NotificationOutbox.hash(valid.get(first)).equals(NotificationOutbox.hash(valid.get(i))));
        }
        return List.of(results);
    }

    /**
     * The item's request checked and normalized, as {@link #accept} checks it before any store is
     * asked; for a caller that must tell an invalid item from one a store failure kept out.
     *
     * @throws InvalidNotificationException for a missing or invalid key or request
     */
    public NotificationRequest validate(Item item) {
        String keyProblem = NotificationService.keyProblem(item.idempotencyKey(), "an idempotencyKey for each item");
        if (keyProblem != null) {
            throw new InvalidNotificationException(keyProblem);
        }
        return outbox.validate(item.request());
    }

    private void acceptClaimed(String client, List<Item> items, List<NotificationRequest> valid, List<String> scopedKeys,
                               List<Integer> candidates, Result[] results) {
        if (candidates.isEmpty()) {
            return;
        }
        List<IdempotencyStore.ClaimRequest> requests = new ArrayList<>(candidates.size());
        candidates.forEach(i -> requests.add(new IdempotencyStore.ClaimRequest(scopedKeys.get(i),
                NotificationOutbox.hash(valid.get(i)))));
        List<IdempotencyClaim> claims = keys.claimAll(requests, NotificationService.LEASE);
        List<Integer> enqueuing = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            int i = candidates.get(c);
            IdempotencyClaim claim = claims.get(c);
            switch (claim.state()) {
                case COMPLETED -> results[i] = Result.accepted(new AcceptedNotification(
                        new String(claim.response().body(), StandardCharsets.UTF_8), true));
                case IN_FLIGHT -> results[i] = Result.problem(409, "Request in flight", new NotificationInFlightException().getMessage());
                case MISMATCH -> results[i] = Result.problem(422, "Idempotency-Key reused",
                        new NotificationKeyReusedException().getMessage());
                default -> {
                    enqueuing.add(i);
                    tokens.add(claim.token());
                }
            }
        }
        if (enqueuing.isEmpty()) {
            return;
        }
        List<NotificationOutbox.Keyed> keyed = new ArrayList<>(enqueuing.size());
        enqueuing.forEach(i -> keyed.add(new NotificationOutbox.Keyed(items.get(i).idempotencyKey(), valid.get(i),
                items.get(i).traceParent())));
        List<NotificationOutbox.Enqueued> enqueued;
        try {
            enqueued = outbox.enqueueAll(client, keyed);
        } catch (RuntimeException e) {
            releaseAll(enqueuing, tokens, scopedKeys);
            throw e;
        }
        List<IdempotencyStore.Completion> completions = new ArrayList<>(enqueuing.size());
        for (int e = 0; e < enqueuing.size(); e++) {
            int i = enqueuing.get(e);
            NotificationOutbox.Enqueued outcome = enqueued.get(e);
            if (outcome.refused() != null) {
                results[i] = Result.problem(422, "Idempotency-Key reused", outcome.refused().getMessage());
                keys.release(scopedKeys.get(i), tokens.get(e));
                continue;
            }
            results[i] = Result.accepted(outcome.accepted());
            completions.add(new IdempotencyStore.Completion(scopedKeys.get(i), tokens.get(e),
                    NotificationService.storedAnswer(outcome.accepted())));
        }
        try {
            long lapsed = keys.completeAll(completions, keyTtl).stream().filter(done -> !done).count();
            if (lapsed > 0) {
                // the outbox's unique key answers the retries just as well
                LOG.warn("{} notifications of a batch accepted but their Idempotency-Key claims had run out", lapsed);
            }
        } catch (CoordinationStoreUnavailableException e) {
            // they are stored: answered as accepted; a retry meets 409 until the claims' lease
            // ends, then the outbox's unique key answers it with the same ids
            LOG.warn("{} notifications of a batch accepted, but their Idempotency-Key claims could not be completed: {}",
                    completions.size(), e.getMessage());
        }
    }

    /** An item whose key an earlier item of the batch carries: a retry of it, or the key reused. */
    private static Result follow(Result first, boolean sameRequest) {
        if (!sameRequest) {
            return Result.problem(422, "Idempotency-Key reused", new NotificationKeyReusedException().getMessage());
        }
        return first.status() == 202 ? new Result(202, first.id(), true, null, null) : first;
    }

    private void releaseAll(List<Integer> indexes, List<String> tokens, List<String> scopedKeys) {
        for (int e = 0; e < indexes.size(); e++) {
            try {
                keys.release(scopedKeys.get(indexes.get(e)), tokens.get(e));
            } catch (RuntimeException failure) {
                // the claim's lease runs out on its own; the retry then goes through
                LOG.warn("Could not release a notification claim: {}", failure.getMessage());
                return;
            }
        }
    }
}
