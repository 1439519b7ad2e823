package org.ccbridge.crm;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Sorts a target's non-2xx answer into retry, wait or dead-letter. Salesforce signals its API
 * limit with 403 and errorCode REQUEST_LIMIT_EXCEEDED, not 429, and sends no Retry-After.
 */
final class FailureClassifier {

    private static final int MAX_ERROR_TEXT = 500;

    private FailureClassifier() {
    }

    static TargetCallException classify(String target, int status, String retryAfterHeader, String body,
                                        Duration defaultLimitWait) {
        String error = "target " + target + " answered " + status + errorText(body);
        if (status == 429 || (status == 403 && body != null && body.contains("REQUEST_LIMIT_EXCEEDED"))) {
            return new TargetThrottledException(error, status, retryAfter(retryAfterHeader, defaultLimitWait));
        }
        if (status == 408 || status >= 500) {
            return new TargetUnavailableException(error, status, null);
        }
        return new TargetRejectedException(error, status);
    }

    /** Seconds or an HTTP date; the default when absent or unreadable. */
    static Duration retryAfter(String header, Duration fallback) {
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

    /** The start of the target's error body (codes and messages), for the DLQ header and the log. */
    private static String errorText(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return ": " + (oneLine.length() <= MAX_ERROR_TEXT ? oneLine : oneLine.substring(0, MAX_ERROR_TEXT) + "...");
    }
}
