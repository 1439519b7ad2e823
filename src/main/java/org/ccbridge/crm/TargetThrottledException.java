package org.ccbridge.crm;

import java.time.Duration;

/**
 * 429, or Salesforce's 403 REQUEST_LIMIT_EXCEEDED: the target asks us to wait. Every call to the
 * target waits {@link #retryAfter()} plus up to 10 % jitter before the next attempt.
 */
public class TargetThrottledException extends TargetCallException {

    private final Duration retryAfter;

    public TargetThrottledException(String message, int status, Duration retryAfter) {
        super(message, status, null);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
