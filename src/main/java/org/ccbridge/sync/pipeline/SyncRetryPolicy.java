package org.ccbridge.sync.pipeline;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.Exchange;
import org.ccbridge.broker.DeadLetterProcessor;
import org.ccbridge.broker.EventPublishProcessor;
import org.ccbridge.coordination.JitteredBackoff;
import org.ccbridge.crm.TargetThrottledException;
import org.ccbridge.sync.SyncProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retry rule of the sync routes' error handling ({@code routes/sync-errors.camel.yaml}): the
 * route's {@code retryWhile} asks it whether to run the pipeline again and sets the pause before
 * the next run. A failure counts as an attempt, with exponential backoff and jitter, until
 * {@code ccbridge.sync.retry.attempts} are used; a throttled target (429, Salesforce's 403
 * REQUEST_LIMIT_EXCEEDED) is waited for without using one up, for as long as its Retry-After says
 * (the target's own pause keeps every consumer from calling it before then).
 */
public class SyncRetryPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRetryPolicy.class);

    private final SyncProperties.Retry retry;
    private final JitteredBackoff backoff;
    private final MeterRegistry registry;

    public SyncRetryPolicy(SyncProperties.Retry retry, MeterRegistry registry) {
        this.retry = retry;
        this.backoff = new JitteredBackoff(retry.initialBackoff(), retry.maxBackoff());
        this.registry = registry;
    }

    /** Whether to run the pipeline again; sets the pause before it in {@code CamelRedeliveryDelay}. */
    public boolean retryWhile(Exchange exchange) {
        // while the error handler decides, the failure is the caught exception, not the exchange's
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure instanceof TargetThrottledException throttled) {
            long wait = throttled.retryAfter().toMillis();
            LOG.info("Event {}: {}; waiting {} ms", eventId(exchange), throttled.getMessage(), wait);
            // the target's pause makes the next call wait out Retry-After; no need to sleep here too
            exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, 0L);
            return true;
        }
        int attempts = attempts(exchange) + 1;
        exchange.setProperty(DeadLetterProcessor.ATTEMPTS_PROPERTY, attempts);
        if (attempts >= retry.attempts()) {
            return false;
        }
        long pause = backoff.millis(attempts);
        exchange.getMessage().setHeader(Exchange.REDELIVERY_DELAY, pause);
        LOG.info("Event {} attempt {} failed: {}; retrying in {} ms", eventId(exchange), attempts,
                failure == null ? "unknown" : failure.getMessage(), pause);
        return true;
    }

    /** Counts the attempt that failed for good, for the dead letter's attempts header. */
    public void lastAttempt(Exchange exchange) {
        exchange.setProperty(DeadLetterProcessor.ATTEMPTS_PROPERTY, attempts(exchange) + 1);
    }

    /** Counts an event going back to its queue, by source, in {@code ccbridge_sync_requeued_total}. */
    public void requeued(Exchange exchange) {
        registry.counter("ccbridge.sync.requeued", "source",
                String.valueOf(exchange.getMessage().getHeader(EventPublishProcessor.SOURCE_HEADER, String.class))).increment();
    }

    private static int attempts(Exchange exchange) {
        return exchange.getProperty(DeadLetterProcessor.ATTEMPTS_PROPERTY, 0, Integer.class);
    }

    private static String eventId(Exchange exchange) {
        return exchange.getMessage().getHeader(EventPublishProcessor.EVENT_ID_HEADER, String.class);
    }
}
