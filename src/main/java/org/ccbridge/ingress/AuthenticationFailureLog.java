package org.ccbridge.ingress;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Logs failed webhook authentications: one WARN per source and interval
 * ({@code ccbridge.ingress.auth-failure-log-interval}, 1 minute), the rest at DEBUG and counted
 * into the next WARN. A sender with a wrong secret, or someone probing, would otherwise turn every
 * delivery into a log line; {@code ccbridge_ingress_events_total{outcome="unauthorized"}} counts each.
 */
@Component
class AuthenticationFailureLog {

    // the logger these lines have always had, so that operators' log filters keep working
    private static final Logger LOG = LoggerFactory.getLogger(WebhookAuthenticationProcessor.class);

    private final long intervalNanos;
    private final LongSupplier nanoTime;
    // one entry per configured source: the key is never a caller-chosen string
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Autowired
    AuthenticationFailureLog(@Value("${ccbridge.ingress.auth-failure-log-interval:1m}") Duration interval) {
        this(interval, System::nanoTime);
    }

    AuthenticationFailureLog(Duration interval, LongSupplier nanoTime) {
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /** @return how many failures of this source the WARN line counts in, or -1 when it went to DEBUG */
    long failed(WebhookSource source, String reason) {
        long suppressed = windows.computeIfAbsent(source.name(), name -> new Window()).admit(nanoTime.getAsLong());
        if (suppressed < 0) {
            LOG.debug("Webhook authentication failed: source={} scheme={} reason={}", source.name(),
                    source.settings().scheme(), reason);
        } else {
            LOG.warn("Webhook authentication failed: source={} scheme={} reason={}{}", source.name(),
                    source.settings().scheme(), reason,
                    suppressed == 0 ? "" : " (and " + suppressed + " more since the last such line)");
        }
        return suppressed;
    }

    /** Starts every source's interval afresh: a test that looks for the line must not find it suppressed. */
    void forget() {
        windows.clear();
    }

    private final class Window {

        private long openedAt;
        private long suppressed;
        private boolean open;

        /** The failures suppressed since the last WARN when this one may log, otherwise -1. */
        synchronized long admit(long now) {
            if (!open || now - openedAt >= intervalNanos) {
                long before = suppressed;
                open = true;
                openedAt = now;
                suppressed = 0;
                return before;
            }
            suppressed++;
            return -1;
        }
    }
}
