package org.ccbridge.coordination;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.local.LocalBucketBuilder;

/**
 * The token-bucket rate limits every outbound caller (gateway, CRM targets, notification
 * providers) takes its permits from.
 *
 * <p>With a shared store the buckets live there ({@link #shared}), so that replicas hold a
 * target's limit together instead of each holding all of it: three instances under a limit of
 * 800 a minute send 800 a minute, not 2,400. The embedded mode has one instance and keeps its
 * buckets in memory ({@link #inMemory()}).
 *
 * <p>A per-minute limit keeps at most {@value #MINUTE_BURST_SECONDS} seconds' worth of permits
 * for a burst: a bucket that held the whole minute would let an idle target take a minute's
 * permits at once and the next minute's as they come, nearly twice the limit within one rolling
 * minute. With the burst capped, no rolling minute sees more than 7/6 of the limit, which the
 * 20 % headroom the platforms' guides ask for absorbs (800 of Genesys' 1,000 a minute: at most
 * 934).
 */
public final class RateLimits {

    static final int MINUTE_BURST_SECONDS = 10;

    private final Supplier<ProxyManager<String>> store;
    private volatile ProxyManager<String> proxies;

    private RateLimits(Supplier<ProxyManager<String>> store) {
        this.store = store;
    }

    /** Buckets in this process: right for one instance only. */
    public static RateLimits inMemory() {
        return new RateLimits(null);
    }

    /**
     * Buckets in a shared store, by key. The store is opened on first use, once its connection
     * factory runs.
     */
    public static RateLimits shared(Supplier<ProxyManager<String>> store) {
        return new RateLimits(store);
    }

    /** Whether replicas share these limits. */
    public boolean isShared() {
        return store != null;
    }

    /**
     * The limit named {@code name}: at most {@code perSecond} calls a second and {@code perMinute}
     * a minute (0: no such bound), or null when neither is set.
     *
     * @param wait how long a caller waits for a permit before it is refused
     */
    public RateLimit limit(String name, int perSecond, int perMinute, Duration wait) {
        if (perSecond <= 0 && perMinute <= 0) {
            return null;
        }
        BucketConfiguration configuration = configuration(perSecond, perMinute);
        if (store == null) {
            LocalBucketBuilder local = Bucket.builder();
            for (Bandwidth bound : configuration.getBandwidths()) {
                local.addLimit(bound);
            }
            Bucket bucket = local.build();
            return new RateLimit(name, () -> bucket, wait);
        }
        // the bounds are part of the key: a replica configured with other bounds (a rolling
        // update) fills a bucket of its own instead of adopting or overwriting the stored one
        String key = "rate-limit:" + name + ":" + perSecond + "/s:" + perMinute + "/min";
        return new RateLimit(name, () -> proxies().builder().build(key, () -> configuration), wait);
    }

    /** Deletes buckets that have refilled and not been used since, where the store does not expire them itself. */
    public void purgeExpired() {
        if (store != null && proxies() instanceof ExpiredEntriesCleaner cleaner) {
            while (cleaner.removeExpired(1_000) == 1_000) {
                // the next thousand
            }
        }
    }

    static BucketConfiguration configuration(int perSecond, int perMinute) {
        ConfigurationBuilder builder = BucketConfiguration.builder();
        if (perSecond > 0) {
            builder.addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1))
                    .id("per-second").build());
        }
        if (perMinute > 0) {
            long burst = Math.max(1, perMinute * MINUTE_BURST_SECONDS / 60L);
            builder.addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perMinute, Duration.ofMinutes(1))
                    .id("per-minute").build());
        }
        return builder.build();
    }

    private ProxyManager<String> proxies() {
        ProxyManager<String> known = proxies;
        if (known == null) {
            synchronized (this) {
                known = proxies;
                if (known == null) {
                    known = store.get();
                    proxies = known;
                }
            }
        }
        return known;
    }
}
