package org.ccbridge.coordination;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff, capped, with "equal jitter": half of each pause fixed, half random, so
 * that callers that failed together do not retry together.
 *
 * @param initial the pause after the first failure; it doubles after each further one
 * @param max     the longest pause
 */
public record JitteredBackoff(Duration initial, Duration max) {

    /** The pause after {@code failures} failures (1 for the first). */
    public long millis(int failures) {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << Math.min(Math.max(failures, 1) - 1, 30));
        long half = ceiling / 2;
        return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
    }
}
