package org.ccbridge.notify;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.VegasLimit;
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
    private final long waitNanos;
    /**
     * Callers waiting for a slot. The library's BlockingLimiter wakes every waiter on each
     * release (notifyAll): with 128 senders and a limit near 30, about a hundred threads woke and
     * went back to sleep per call. Here a release wakes one, and a caller that got a slot wakes
     * the next in case the limit grew.
     */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();

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
        this.limiter = SimpleLimiter.newBuilder().limit(limit).build();
        this.waitNanos = wait.toNanos();
    }

    /**
     * A slot, once one is free within the wait; the caller ends it with {@code onSuccess} (an
     * answer, whose latency counts), {@code onDropped} (the provider shed the call) or
     * {@code onIgnore} (nothing learnt: the call never left, or failed for another reason).
     */
    Optional<Limiter.Listener> acquire() {
        Optional<Limiter.Listener> slot = limiter.acquire(null);
        if (slot.isEmpty()) {
            slot = awaitSlot();
        }
        return slot.map(WakingListener::new);
    }

    private Optional<Limiter.Listener> awaitSlot() {
        long left = waitNanos;
        lock.lock();
        try {
            while (true) {
                // asked again under the lock: a release in between signals only once this waits
                Optional<Limiter.Listener> slot = limiter.acquire(null);
                if (slot.isPresent()) {
                    released.signal(); // the limit may have grown: the next waiter tries too
                    return slot;
                }
                if (left <= 0) {
                    return Optional.empty();
                }
                left = released.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            lock.unlock();
        }
    }

    private void wakeOne() {
        lock.lock();
        try {
            released.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Ends the slot, then wakes one caller waiting for one. */
    private final class WakingListener implements Limiter.Listener {

        private final Limiter.Listener slot;

        WakingListener(Limiter.Listener slot) {
            this.slot = slot;
        }

        @Override
        public void onSuccess() {
            slot.onSuccess();
            wakeOne();
        }

        @Override
        public void onIgnore() {
            slot.onIgnore();
            wakeOne();
        }

        @Override
        public void onDropped() {
            slot.onDropped();
            wakeOne();
        }
    }

    /** Calls at once the provider gets now. */
    int limit() {
        return limit.getLimit();
    }
}
