package org.ccbridge.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The publishes of one confirm-mode channel that the broker has not confirmed yet, by publish
 * sequence number.
 *
 * <p>The broker confirms in order and may confirm a whole range at once ({@code multiple}). A
 * mandatory message it cannot route comes back as a return before its ack, on the same
 * connection thread, so the return marks the publish and the ack then fails it: an ack alone
 * would only say that the broker has handled the message, not that a queue holds it.
 */
final class PendingConfirms {

    private final ConcurrentSkipListMap<Long, Pending> bySequence = new ConcurrentSkipListMap<>();

    CompletableFuture<Void> add(long sequence, String messageId) {
        Pending publish = new Pending(messageId);
        bySequence.put(sequence, publish);
        return publish.confirmed;
    }

    void confirm(long sequence, boolean multiple) {
        for (Pending publish : take(sequence, multiple)) {
            if (publish.returnedBecause == null) {
                publish.confirmed.complete(null);
            } else {
                publish.confirmed.completeExceptionally(new PublishFailedException(
                        "no queue took the event: " + publish.returnedBecause, null));
            }
        }
    }

    void nack(long sequence, boolean multiple) {
        for (Pending publish : take(sequence, multiple)) {
            publish.confirmed.completeExceptionally(new PublishFailedException("broker refused the event", null));
        }
    }

    /** Marks the unconfirmed publishes of this message id as returned unroutable. */
    void markReturned(String messageId, String reason) {
        for (Pending publish : bySequence.values()) {
            if (publish.messageId != null && publish.messageId.equals(messageId)) {
                publish.returnedBecause = reason;
            }
        }
    }

    /** Fails every unconfirmed publish: the channel closed, so no confirm will come. */
    void failAll(PublishFailedException failure) {
        for (Map.Entry<Long, Pending> entry = bySequence.pollFirstEntry(); entry != null;
                entry = bySequence.pollFirstEntry()) {
            entry.getValue().confirmed.completeExceptionally(failure);
        }
    }

    int size() {
        return bySequence.size();
    }

    private Iterable<Pending> take(long sequence, boolean multiple) {
        if (!multiple) {
            Pending publish = bySequence.remove(sequence);
            return publish == null ? List.of() : List.of(publish);
        }
        ConcurrentNavigableMap<Long, Pending> upTo = bySequence.headMap(sequence, true);
        List<Pending> taken = new ArrayList<>(upTo.values());
        upTo.clear();
        return taken;
    }

    private static final class Pending {

        final String messageId;
        final CompletableFuture<Void> confirmed = new CompletableFuture<>();
        // written and read on the connection's thread: the return arrives before the ack
        String returnedBecause;

        Pending(String messageId) {
            this.messageId = messageId;
        }
    }
}
