package org.ccbridge.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import org.junit.jupiter.api.Test;

/** The bucket shapes behind the configured bounds, and the in-memory limits of one instance. */
class RateLimitsTests {

    @Test
    void noBoundIsNoLimit() {
        assertThat(RateLimits.inMemory().limit("none", 0, 0, Duration.ZERO)).isNull();
    }

    @Test
    void aPerMinuteBoundKeepsTenSecondsOfPermitsForABurst() {
        BucketConfiguration genesys = RateLimits.configuration(0, 800);

        Bandwidth perMinute = genesys.getBandwidths()[0];
        assertThat(perMinute.getCapacity()).isEqualTo(133);
        assertThat(perMinute.getRefillTokens()).isEqualTo(800);
        assertThat(perMinute.getRefillPeriodNanos()).isEqualTo(Duration.ofMinutes(1).toNanos());
        // the most one rolling minute can see: the burst, then the refill; under Genesys' 1,000
        assertThat(perMinute.getCapacity() + perMinute.getRefillTokens()).isLessThan(1_000);
    }

    @Test
    void bothBoundsApplyAtOnce() {
        RateLimit limit = RateLimits.inMemory().limit("both", 5, 60, Duration.ZERO);

        assertThat(limit.acquire(5)).isTrue();
        assertThat(limit.acquire(1)).as("the per-second bound").isFalse();
        assertThat(RateLimits.inMemory().limit("burst", 50, 60, Duration.ZERO).acquire(11))
                .as("the per-minute burst of 10").isFalse();
    }

    @Test
    void inMemoryLimitsAreEachInstancesOwn() {
        // the embedded mode runs one instance; two would each hold the whole limit
        RateLimit first = RateLimits.inMemory().limit("same-name", 0, 60, Duration.ZERO);
        RateLimit second = RateLimits.inMemory().limit("same-name", 0, 60, Duration.ZERO);

        assertThat(first.acquire(10)).isTrue();
        assertThat(second.acquire(10)).isTrue();
        assertThat(RateLimits.inMemory().isShared()).isFalse();
    }

    @Test
    void anInterruptedCallerIsRefusedAndKeepsItsInterrupt() {
        RateLimit limit = RateLimits.inMemory().limit("interrupt", 1, 0, Duration.ofSeconds(5));
        assertThat(limit.acquire(1)).isTrue();

        Thread.currentThread().interrupt();
        try {
            assertThat(limit.acquire(1)).isFalse();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
