package org.ccbridge.ops;

import java.time.Duration;
import java.util.function.LongSupplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.ccbridge.notify.NotificationQueries;
import org.ccbridge.sync.ReviewQueue;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Work that waits for an operator, as gauges the alert rules read: notifications given up on
 * ({@code ccbridge_notify_failed}) and undecided review items ({@code ccbridge_sync_reviews_open}).
 * Each is a count in the database, taken at most every {@value #REFRESH_SECONDS} s however often
 * the scraper asks; NaN while the database does not answer.
 */
@Component
class BacklogOfWorkMetrics implements SmartInitializingSingleton {

    static final long REFRESH_SECONDS = 15;

    private final ObjectProvider<MeterRegistry> meters;
    private final ObjectProvider<NotificationQueries> notifications;
    private final ObjectProvider<ReviewQueue> reviews;

    BacklogOfWorkMetrics(ObjectProvider<MeterRegistry> meters, ObjectProvider<NotificationQueries> notifications,
                         ObjectProvider<ReviewQueue> reviews) {
        this.meters = meters;
        this.notifications = notifications;
        this.reviews = reviews;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = meters.getIfAvailable();
        if (registry == null) {
            return;
        }
        notifications.ifAvailable(queries -> Gauge.builder("ccbridge.notify.failed",
                        new CachedCount(queries::failedCount, Duration.ofSeconds(REFRESH_SECONDS)), CachedCount::value)
                .description("Notifications given up on (FAILED), waiting for a retry from an operator")
                .register(registry));
        reviews.ifAvailable(queue -> Gauge.builder("ccbridge.sync.reviews.open",
                        new CachedCount(queue::openCount, Duration.ofSeconds(REFRESH_SECONDS)), CachedCount::value)
                .description("Review items no operator has decided yet")
                .register(registry));
    }

    /** A count that is taken again only when the last one is older than {@code maxAge}. */
    static final class CachedCount {

        private final LongSupplier count;
        private final long maxAgeNanos;
        private double value = Double.NaN;
        private long takenAt;
        private boolean taken;

        CachedCount(LongSupplier count, Duration maxAge) {
            this.count = count;
            this.maxAgeNanos = maxAge.toNanos();
        }

        synchronized double value() {
            long now = System.nanoTime();
            if (!taken || now - takenAt >= maxAgeNanos) {
                try {
                    value = count.getAsLong();
                } catch (RuntimeException e) {
                    // the database is away: say so rather than repeat an old count
                    value = Double.NaN;
                }
                takenAt = now;
                taken = true;
            }
            return value;
        }
    }
}
