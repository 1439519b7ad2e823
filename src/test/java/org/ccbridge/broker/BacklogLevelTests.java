package org.ccbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The levels of a queue's backlog against the guides' thresholds: warn 100,000, shed 500,000, resume 50,000. */
class BacklogLevelTests {

    private static final BacklogProperties.Thresholds GUIDES = BacklogProperties.Thresholds.DEFAULTS;

    @Test
    void aGrowingQueueWarnsThenSheds() {
        assertThat(BacklogLevel.NORMAL.next(99_999, GUIDES)).isEqualTo(BacklogLevel.NORMAL);
        assertThat(BacklogLevel.NORMAL.next(100_000, GUIDES)).isEqualTo(BacklogLevel.WARN);
        assertThat(BacklogLevel.WARN.next(499_999, GUIDES)).isEqualTo(BacklogLevel.WARN);
        assertThat(BacklogLevel.WARN.next(500_000, GUIDES)).isEqualTo(BacklogLevel.SHED);
        assertThat(BacklogLevel.NORMAL.next(600_000, GUIDES)).as("a jump past both").isEqualTo(BacklogLevel.SHED);
    }

    @Test
    void aShrinkingQueueStaysAtItsLevelUntilUnderResume() {
        // hysteresis: under shed and under warn is not enough
        assertThat(BacklogLevel.SHED.next(499_999, GUIDES)).isEqualTo(BacklogLevel.SHED);
        assertThat(BacklogLevel.SHED.next(99_999, GUIDES)).isEqualTo(BacklogLevel.SHED);
        assertThat(BacklogLevel.SHED.next(50_000, GUIDES)).isEqualTo(BacklogLevel.SHED);
        assertThat(BacklogLevel.SHED.next(49_999, GUIDES)).isEqualTo(BacklogLevel.NORMAL);
        assertThat(BacklogLevel.WARN.next(60_000, GUIDES)).isEqualTo(BacklogLevel.WARN);
        assertThat(BacklogLevel.WARN.next(49_999, GUIDES)).isEqualTo(BacklogLevel.NORMAL);
    }

    @Test
    void thresholdsOutOfOrderAreRefusedAtStartup() {
        assertThatThrownBy(() -> new BacklogProperties.Thresholds(100, 50, 10, 0)).hasMessageContaining("resume <= warn <= shed");
        assertThatThrownBy(() -> new BacklogProperties.Thresholds(100, 500, 200, 0)).hasMessageContaining("resume <= warn <= shed");
        assertThatThrownBy(() -> new BacklogProperties.Thresholds(100, 500, 50, -1)).hasMessageContaining("hard limit");
    }
}
