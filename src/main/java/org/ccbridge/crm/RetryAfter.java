package org.ccbridge.crm;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The wait an HTTP Retry-After header asks for (RFC 9110 10.2.3). */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** Seconds or an HTTP date; {@code fallback} when absent or unreadable. */
    public static Duration wait(String header, Duration fallback) {
        if (header == null || header.isBlank()) {
            return fallback;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException notDate) {
                return fallback;
            }
        }
    }
}
