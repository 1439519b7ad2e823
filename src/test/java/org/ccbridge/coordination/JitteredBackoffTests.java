package org.ccbridge.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class JitteredBackoffTests {

    private final JitteredBackoff backoff = new JitteredBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void pausesDoubleWithinHalfAndAllOfTheirCeilingUpToTheMax() {
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.millis(1)).isBetween(50L, 100L);
            assertThat(backoff.millis(3)).isBetween(200L, 400L);
            assertThat(backoff.millis(10)).isBetween(500L, 1000L);
            assertThat(backoff.millis(1000)).isBetween(500L, 1000L);
        }
    }

    @Test
    void pausesAreSpreadNotEqual() {
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(backoff.millis(4));
        }
        assertThat(seen.size()).isGreaterThan(10);
    }
}
