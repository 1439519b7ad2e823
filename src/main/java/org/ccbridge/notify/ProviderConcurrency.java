package org.ccbridge.notify;

import java.time.Duration;
import java.util.Optional;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.BlockingLimiter;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;

/**
 * How many calls one provider gets at once. The limit adapts, as TCP Vegas does (Netflix's
 * concurrency-limits): it grows while the provider answers about as fast as it does when idle,
 * and shrinks when its answers slow down (requests queue at the provider) or it sheds load (429,
 * 503, a timeout). A fixed number would be too low for a fast provider and too high for one that
 * is struggling; this one finds the provider's capacity and backs off before its errors do.
 */
final class ProviderConcurrency {

    private final VegasLimit limit;
    private final Limiter<Void> limiter;

    /**
     * @param initial calls at once before the first answers are measured
     * @param max     calls at once, at most
     * @param wait    how long a call waits for a free slot before it gives up (not called)
     */
    ProviderConcurrency(int initial, int max, Duration wait) {
        // Vegas estimates the calls queued at the provider as limit * (1 - idle latency / latency).
        // Its defaults (grow below 3 * log10(limit) queued, shrink above 6 * log10(limit)) hold a
        // 20 ms provider near 20 calls once latency is a third above idle, which a busy relay host
        // causes by itself. Here the limit grows while latency is within a third of idle, holds up
        // to twice idle, and shrinks by a tenth beyond that or when the provider sheds a call.
        this.limit = VegasLimit.newBuilder().initialLimit(Math.min(initial, max)).maxConcurrency(max)
                .alphaFunction(current -> Math.max(3, current / 4))
                .betaFunction(current -> Math.max(6, current / 2))
                .decreaseFunction(current -> Math.max(1, current * 0.9))
                .build();
        this.limiter = BlockingLimiter.wrap(SimpleLimiter.newBuilder().limit(limit).build(), wait);
    }

    /**
     * A slot, once one is free within the wait; the caller ends it with {@code onSuccess} (an
     * answer, whose latency counts), {@code onDropped} (the provider shed the call) or
     * {@code onIgnore} (nothing learnt: the call never left, or failed for another reason).
     */
    Optional<Limiter.Listener> acquire() {
        return limiter.acquire(null);
    }

    /** Calls at once the provider gets now. */
    int limit() {
        return limit.getLimit();
    }
}
