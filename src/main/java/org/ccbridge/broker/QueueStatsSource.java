package org.ccbridge.broker;

import java.util.Optional;

/** Where the backlog monitor reads queues from. */
public interface QueueStatsSource {

    /**
     * @return the queue's reading, empty when the queue does not exist
     * @throws RuntimeException when the broker does not answer
     */
    Optional<QueueStats> read(String queue);

    /** Reads from {@code first}, and from {@code fallback} when {@code first} fails. */
    static QueueStatsSource preferring(QueueStatsSource first, QueueStatsSource fallback) {
        return queue -> {
            try {
                return first.read(queue);
            } catch (RuntimeException e) {
                // the management API is away or refuses; the depth still counts, the rates do not
                return fallback.read(queue);
            }
        };
    }
}
