package org.ccbridge.ingress;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long a webhook delivery may wait before it is answered, and when a slow dedup store stops
 * being asked.
 *
 * @param ackBudget the time from a delivery's arrival to its answer that the waits share: the
 *                  dedup claim (bounded by {@code ccbridge.store.timeout}, which defaults to this
 *                  budget), then the wait for a publishing channel and for the broker's confirm,
 *                  which get what is left. Platforms retry deliveries they are not answered in
 *                  time, so a late 2xx only adds load; past the budget the answer is 503
 * @param slowStore when the dedup store's latency stays over a threshold, deliveries get a 503 at
 *                  once instead of a slow one
 */
@ConfigurationProperties("ccbridge.ingress")
public record AckBudgetProperties(
        @DefaultValue("200ms") Duration ackBudget,
        @DefaultValue SlowStore slowStore) {

    /**
     * A breaker over the dedup claims (Resilience4j, time-based window).
     *
     * @param latency         a claim slower than this counts as slow (the source guides: 50 ms)
     * @param slowRatePercent the breaker opens when this share of the window's claims were slow
     *                        or failed
     * @param window          the sliding window the rates are taken over
     * @param minimumCalls    claims in the window before it may open
     * @param openFor         how long deliveries get 503 at once before a few claims are tried again
     * @param warmUp          after start, how long claims are not judged: a JVM's first seconds under
     *                        load belong to its JIT compiler, which makes every claim slow (measured:
     *                        most claims over 50 ms for 15 s at 96 deliveries in flight), and a 503
     *                        storm then left the warm service 20-45 % slower than one that answered
     */
    public record SlowStore(
            @DefaultValue("50ms") Duration latency,
            @DefaultValue("80") int slowRatePercent,
            @DefaultValue("10s") Duration window,
            @DefaultValue("20") int minimumCalls,
            @DefaultValue("5s") Duration openFor,
            @DefaultValue("60s") Duration warmUp) {
    }
}
