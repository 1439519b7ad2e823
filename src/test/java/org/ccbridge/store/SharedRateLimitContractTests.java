package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.ccbridge.coordination.RateLimit;
import org.ccbridge.coordination.RateLimits;
import org.junit.jupiter.api.Test;

/**
 * What every shared rate-limit store must do: two instances, each with its own connection,
 * hold one limit together rather than each holding all of it.
 */
abstract class SharedRateLimitContractTests {

    /** The limits as one more instance sees them: a connection of its own to the shared store. */
    protected abstract RateLimits instance(int number);

    private String uniqueName() {
        return "contract-" + UUID.randomUUID();
    }

    @Test
    void whatOneInstanceTookTheOtherCannotTake() {
        String name = uniqueName();
        // 60 a minute: a burst of 10, then one a second
        RateLimit first = instance(1).limit(name, 0, 60, Duration.ZERO);
        RateLimit second = instance(2).limit(name, 0, 60, Duration.ZERO);

        assertThat(first.acquire(10)).isTrue();

        assertThat(second.acquire(1)).as("the second instance finds the bucket the first emptied").isFalse();
    }

    @Test
    void twoInstancesCallingAtOnceStayWithinOneLimit() throws Exception {
        String name = uniqueName();
        int perMinute = 120; // a burst of 20, then two a second
        List<RateLimit> limits = List.of(instance(1).limit(name, 0, perMinute, Duration.ZERO),
                instance(2).limit(name, 0, perMinute, Duration.ZERO));
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            long started = System.nanoTime();
            long until = started + TimeUnit.MILLISECONDS.toNanos(1_500);
            List<Future<Integer>> granted = new ArrayList<>();
            for (int caller = 0; caller < 4; caller++) {
                RateLimit limit = limits.get(caller % 2);
                granted.add(callers.submit(() -> {
                    int permits = 0;
                    while (System.nanoTime() < until) {
                        if (limit.acquire(1)) {
                            permits++;
                        }
                    }
                    return permits;
                }));
            }
            int total = 0;
            for (Future<Integer> permits : granted) {
                total += permits.get(30, TimeUnit.SECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;

            // alone, each instance would have granted the burst and the refill: twice this
            int mostTogether = 20 + (int) Math.ceil(seconds * perMinute / 60.0);
            assertThat(total).isBetween(20, mostTogether);
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aCallerWaitsForAPermitThatComesWithinItsWait() {
        String name = uniqueName();
        RateLimit first = instance(1).limit(name, 2, 0, Duration.ZERO);
        RateLimit second = instance(2).limit(name, 2, 0, Duration.ofSeconds(2));
        assertThat(first.acquire(2)).isTrue();

        long started = System.nanoTime();
        boolean granted = second.acquire(1);
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        assertThat(granted).isTrue();
        assertThat(waitedMs).as("half a second until one of two permits a second is back").isGreaterThanOrEqualTo(400);
    }

    @Test
    void aRefusedCallerTakesNothing() {
        String name = uniqueName();
        RateLimit first = instance(1).limit(name, 0, 60, Duration.ZERO);
        RateLimit second = instance(2).limit(name, 0, 60, Duration.ZERO);

        assertThat(second.acquire(11)).as("more than the burst").isFalse();

        assertThat(first.acquire(10)).as("the refused request left the burst in the bucket").isTrue();
    }

    @Test
    void anInstanceWithOtherBoundsDoesNotAdoptTheStoredBucket() {
        String name = uniqueName();
        assertThat(instance(1).limit(name, 0, 60, Duration.ZERO).acquire(10)).isTrue();

        // during a rolling update to a higher limit, the new bound gets a bucket of its own
        assertThat(instance(2).limit(name, 0, 120, Duration.ZERO).acquire(20)).isTrue();
    }
}
