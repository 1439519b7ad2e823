package org.ccbridge.dedup;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Lease and retention of event claims.
 *
 * @param lease      how long an unconfirmed claim blocks retries; a crashed holder's event is
 *                   processed again by the first retry after it
 * @param doneTtl    how long an accepted event id is remembered; sender retry schedules run up
 *                   to about 75 h, so 72 h covers all but the last stragglers
 * @param retryAfter the Retry-After sent with 409 and 503 replies
 */
@ConfigurationProperties("ccbridge.dedup")
public record DedupProperties(
        @DefaultValue("30s") Duration lease,
        @DefaultValue("72h") Duration doneTtl,
        @DefaultValue("5s") Duration retryAfter) {
}
