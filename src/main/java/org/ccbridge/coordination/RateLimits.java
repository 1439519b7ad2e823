package org.ccbridge.coordination;

import java.time.Duration;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/** The token-bucket rate limit every outbound caller (gateway, CRM targets, notification providers) uses. */
public final class RateLimits {

    private RateLimits() {
    }

    /**
     * A limit of {@code perSecond} calls per second, or null for none when it is 0 or less.
     *
     * @param wait how long a caller waits for a permit before it is refused
     */
    public static RateLimiter perSecond(String name, int perSecond, Duration wait) {
        if (perSecond <= 0) {
            return null;
        }
        return RateLimiter.of(name, RateLimiterConfig.custom()
                .limitForPeriod(perSecond)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(wait)
                .build());
    }
}
