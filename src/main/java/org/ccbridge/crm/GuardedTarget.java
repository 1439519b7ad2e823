package org.ccbridge.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.RateLimit;

/**
 * A target behind its circuit breaker, token-bucket rate limit and throttle pause.
 *
 * <p>A throttled answer (429, 403 REQUEST_LIMIT_EXCEEDED) pauses every call to the target for
 * its Retry-After plus up to 10 % jitter, so that the calls of all consumers wait, not only the
 * one that was told. Throttling and 4xx rejections say nothing about the target's health and do
 * not count toward the breaker; 5xx, timeouts and connection failures do.
 */
public class GuardedTarget implements AutoCloseable {

    private final String name;
    private final CrmTarget target;
    private final CircuitBreaker circuitBreaker;
    private final RateLimit rateLimit;
    private final Clock clock;
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.EPOCH);

    public GuardedTarget(String name, CrmTarget target, CircuitBreaker circuitBreaker, RateLimit rateLimit,
                         Clock clock) {
        this.name = name;
        this.target = target;
        this.circuitBreaker = circuitBreaker;
        this.rateLimit = rateLimit;
        this.clock = clock;
    }

    public String name() {
        return name;
    }

    public CircuitBreaker circuitBreaker() {
        return circuitBreaker;
    }

    /** Until when calls wait for the target's limit; in the past when they need not. */
    public Instant pausedUntil() {
        return pausedUntil.get();
    }

    /**
     * One guarded attempt, through the circuit breaker.
     *
     * @throws CircuitOpenException when the breaker does not permit the call
     */
    public void upsert(TargetWrite write) throws InterruptedException {
        waitForThrottle();
        takeRatePermit();
        if (!circuitBreaker.tryAcquirePermission()) {
            throw new CircuitOpenException(name);
        }
        long start = System.nanoTime();
        try {
            target.upsert(write);
            circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        } catch (TargetThrottledException e) {
            circuitBreaker.releasePermission();
            pauseFor(e.retryAfter());
            throw e;
        } catch (TargetRejectedException | TargetFencedException e) {
            circuitBreaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            throw e;
        } catch (RuntimeException e) {
            circuitBreaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    /**
     * One attempt for a caller that runs it inside {@link #circuitBreaker()} itself (the route's
     * circuitBreaker EIP): the throttle pause and the rate limit, not the breaker. The breaker
     * ignores throttling and rejections ({@link CrmTargetFactory}), as {@link #upsert} does.
     */
    public void upsertWithinBreaker(TargetWrite write) throws InterruptedException {
        waitForThrottle();
        takeRatePermit();
        try {
            target.upsert(write);
        } catch (TargetThrottledException e) {
            pauseFor(e.retryAfter());
            throw e;
        }
    }

    /**
     * {@link #upsertWithinBreaker} for many records: one throttle wait, then the target's fewest
     * calls. The rate limit counts calls: a Salesforce batch takes one permit per collection of
     * up to 200 records.
     *
     * @return per write, in order, null when it was written, else that record's failure
     * @throws TargetCallException when a call failed as a whole
     */
    public List<TargetCallException> upsertAllWithinBreaker(List<TargetWrite> writes) throws InterruptedException {
        waitForThrottle();
        takeRatePermits(target.callsFor(writes));
        try {
            return target.upsertAll(writes);
        } catch (TargetThrottledException e) {
            pauseFor(e.retryAfter());
            throw e;
        }
    }

    private void takeRatePermit() {
        takeRatePermits(1);
    }

    private void takeRatePermits(int permits) {
        if (rateLimit == null) {
            return;
        }
        boolean granted;
        try {
            granted = rateLimit.acquire(permits); // waits for tokens up to its maxWait
        } catch (CoordinationStoreUnavailableException e) {
            // the target is not at fault: the write waits like a throttled one, and the breaker ignores it
            throw new TargetThrottledException("rate limit of target " + name + " unavailable: " + e.getMessage(), 503,
                    Duration.ofSeconds(1));
        }
        if (!granted) {
            throw new TargetThrottledException("no permit from the rate limit of target " + name + " within "
                    + rateLimit.maxWait().toSeconds() + " s", 429, Duration.ofSeconds(1));
        }
    }

    /** Pauses calls for {@code wait} plus up to 10 % jitter; never shortens a longer pause. */
    void pauseFor(Duration wait) {
        long jitter = (long) (wait.toMillis() * 0.1 * ThreadLocalRandom.current().nextDouble());
        Instant until = clock.instant().plus(wait).plusMillis(jitter);
        pausedUntil.accumulateAndGet(until, (current, proposed) -> proposed.isAfter(current) ? proposed : current);
    }

    private void waitForThrottle() throws InterruptedException {
        while (true) {
            long wait = Duration.between(clock.instant(), pausedUntil.get()).toMillis();
            if (wait <= 0) {
                return;
            }
            Thread.sleep(wait);
        }
    }

    @Override
    public void close() throws Exception {
        if (target instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
