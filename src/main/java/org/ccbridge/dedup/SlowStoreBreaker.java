package org.ccbridge.dedup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

import org.ccbridge.ingress.AckBudgetProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stops asking a dedup store whose claims have become slow: while its breaker is open, a
 * delivery is refused with {@link DedupStoreUnavailableException} (503) without a store call, so
 * that senders get a fast answer to retry on and the store is not buried under more calls.
 * Timeouts and errors count like slow claims.
 */
@Component
public class SlowStoreBreaker {

    private static final Logger LOG = LoggerFactory.getLogger(SlowStoreBreaker.class);

    private final CircuitBreaker breaker;
    private final Duration latency;
    private final long judgedFrom;

    public SlowStoreBreaker(AckBudgetProperties properties) {
        AckBudgetProperties.SlowStore settings = properties.slowStore();
        this.latency = settings.latency();
        this.judgedFrom = System.nanoTime() + settings.warmUp().toNanos();
        this.breaker = CircuitBreaker.of("dedup-store", CircuitBreakerConfig.custom()
                // the synchronized window: the lock-free one measured no better (bench/results.md)
                .slidingWindow(Math.toIntExact(Math.max(1, settings.window().toSeconds())), settings.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.TIME_BASED,
                        CircuitBreakerConfig.SlidingWindowSynchronizationStrategy.SYNCHRONIZED)
                .slowCallDurationThreshold(settings.latency())
                .slowCallRateThreshold(settings.slowRatePercent())
                .failureRateThreshold(settings.slowRatePercent())
                .waitDurationInOpenState(settings.openFor())
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(Math.max(1, settings.minimumCalls() / 2))
                .build());
        breaker.getEventPublisher().onStateTransition(event -> LOG.warn(
                "Dedup store breaker {}: claims slower than {} ms or failing in {} % of the window",
                event.getStateTransition(), latency.toMillis(), settings.slowRatePercent()));
    }

    /** Runs one store call under the breaker. */
    /** The breaker itself, for its metrics. */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    public <T> T call(Supplier<T> storeCall) {
        if (System.nanoTime() - judgedFrom < 0) {
            return storeCall.get();
        }
        if (!breaker.tryAcquirePermission()) {
            throw new DedupStoreUnavailableException("dedup store answers slower than " + latency.toMillis()
                    + " ms; refused without asking it until it recovers", null);
        }
        long started = System.nanoTime();
        try {
            T result = storeCall.get();
            breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            return result;
        } catch (RuntimeException e) {
            breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
            throw e;
        }
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }
}
