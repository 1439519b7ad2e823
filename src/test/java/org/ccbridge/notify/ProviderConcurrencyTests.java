package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.netflix.concurrency.limits.Limiter;

import org.junit.jupiter.api.Test;

/** Waiting for a provider's slot: a freed slot goes to a waiter, and a waiter gives up after its wait. */
class ProviderConcurrencyTests {

    @Test
    void aFreedSlotGoesToOneWaiterAndTheNextWaitsForTheNextSlot() throws Exception {
        ProviderConcurrency one = new ProviderConcurrency(1, 1, Duration.ofSeconds(10));
        Limiter.Listener held = one.acquire().orElseThrow();
        CompletableFuture<Optional<Limiter.Listener>> first = CompletableFuture.supplyAsync(one::acquire);
        CompletableFuture<Optional<Limiter.Listener>> second = CompletableFuture.supplyAsync(one::acquire);
        Thread.sleep(200); // both wait

        held.onIgnore();
        Limiter.Listener passedOn = CompletableFuture.anyOf(first, second).thenApply(slot ->
                ((Optional<?>) slot).map(Limiter.Listener.class::cast).orElseThrow()).get(5, TimeUnit.SECONDS);
        CompletableFuture<Optional<Limiter.Listener>> stillWaiting = first.isDone() ? second : first;
        Thread.sleep(200);
        assertThat(stillWaiting).isNotDone(); // one slot, one caller

        passedOn.onSuccess();
        assertThat(stillWaiting.get(5, TimeUnit.SECONDS)).isPresent();
    }

    @Test
    void aCallerThatGetsNoSlotWithinItsWaitGetsNone() {
        ProviderConcurrency one = new ProviderConcurrency(1, 1, Duration.ofMillis(100));
        Limiter.Listener held = one.acquire().orElseThrow();

        long start = System.nanoTime();
        Optional<Limiter.Listener> none = one.acquire();

        assertThat(none).isEmpty();
        // it waited out its 100 ms, as the library counts them: whole milliseconds left on the
        // wall clock, so it gives up once less than one is left (99.3 ms measured once in CI)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(98));
        held.onIgnore();
        assertThat(one.acquire()).isPresent(); // free again
    }
}
