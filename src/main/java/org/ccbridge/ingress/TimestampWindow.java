package org.ccbridge.ingress;

import java.time.Duration;
import java.time.Instant;

/**
 * Rejects signed timestamps too far from now in either direction: old ones are replays, future
 * ones are forged or come from a badly skewed clock.
 */
record TimestampWindow(Duration tolerance) {

    void check(String unixSeconds, Instant now) throws AuthenticationFailedException {
        long seconds;
        try {
            seconds = Long.parseLong(unixSeconds.trim());
        } catch (NumberFormatException e) {
            throw new AuthenticationFailedException("timestamp is not a unix time in seconds");
        }
        long skew = Math.abs(now.getEpochSecond() - seconds);
        if (skew > tolerance.toSeconds()) {
            throw new AuthenticationFailedException("timestamp outside the tolerance of " + tolerance.toSeconds() + " s");
        }
    }
}
