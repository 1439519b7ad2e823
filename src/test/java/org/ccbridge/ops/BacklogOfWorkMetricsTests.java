package org.ccbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The counts behind the gauges: taken again only when old enough, NaN while the database is away. */
class BacklogOfWorkMetricsTests {

    @Test
    void aCountIsTakenAgainOnlyOnceItIsOldEnough() throws InterruptedException {
        AtomicLong queries = new AtomicLong();
        BacklogOfWorkMetrics.CachedCount count = new BacklogOfWorkMetrics.CachedCount(queries::incrementAndGet,
                Duration.ofMillis(200));

        assertThat(count.value()).isEqualTo(1.0);
        assertThat(count.value()).as("a scrape right after").isEqualTo(1.0);
        Thread.sleep(250);
        assertThat(count.value()).isEqualTo(2.0);
        assertThat(queries).hasValue(2);
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsNaNNotTheLastCount() throws InterruptedException {
        AtomicLong calls = new AtomicLong();
        BacklogOfWorkMetrics.CachedCount count = new BacklogOfWorkMetrics.CachedCount(() -> {
            if (calls.incrementAndGet() > 1) {
                throw new IllegalStateException("connection refused");
            }
            return 7;
        }, Duration.ofMillis(50));

        assertThat(count.value()).isEqualTo(7.0);
        Thread.sleep(80);
        assertThat(count.value()).isNaN();
    }
}
