package org.ccbridge.coordination;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.bucket4j.Bucket;

/**
 * One caller's rate limit: a token bucket, in memory or in the shared store (see {@link RateLimits}).
 */
public final class RateLimit {

    private final String name;
    private final Supplier<Bucket> bucketSource;
    private final Duration wait;
    private volatile Bucket bucket;

    RateLimit(String name, Supplier<Bucket> bucketSource, Duration wait) {
        this.name = name;
        this.bucketSource = bucketSource;
        this.wait = wait;
    }

    /** How long {@link #acquire} waits for permits before it gives up. */
    public Duration maxWait() {
        return wait;
    }

    /**
     * Takes {@code permits}, waiting up to {@link #maxWait()} for them. Permits that would come
     * later are not taken, so a refused caller leaves the bucket as it was.
     *
     * @return false when they do not come in time, or the thread is interrupted (its flag set again)
     * @throws CoordinationStoreUnavailableException when the shared store holding the bucket does not answer
     */
    public boolean acquire(int permits) {
        try {
            Bucket limit = bucket();
            return wait.isZero() ? limit.tryConsume(permits) : limit.asBlocking().tryConsume(permits, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (CoordinationStoreUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // Bucket4j passes on the store's own exceptions: a Redis timeout, a JDBC failure
            throw new CoordinationStoreUnavailableException("rate limit " + name + " unavailable: " + e.getMessage(), e);
        }
    }

    private Bucket bucket() {
        Bucket known = bucket;
        if (known == null) {
            known = bucketSource.get();
            bucket = known;
        }
        return known;
    }
}
