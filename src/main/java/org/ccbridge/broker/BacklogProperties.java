package org.ccbridge.broker;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How ccbridge reacts to queue depth, configured under {@code ccbridge.broker.backlog}.
 *
 * @param interval how often every queue's depth is read from the broker
 * @param queues   thresholds by queue name, in brackets because queue names hold dots
 *                 ({@code queues[ccbridge.voice.interactions].shed}); a queue not named here
 *                 has the guides' defaults
 * @param managementUrl RabbitMQ's management API, e.g. {@code http://user:password@rabbitmq:15672}:
 *                 depths come from there with the rates in and out; empty for passive declares
 *                 (depth only), the only way the embedded broker answers
 */
@ConfigurationProperties("ccbridge.broker.backlog")
public record BacklogProperties(@DefaultValue("5s") Duration interval, @DefaultValue Map<String, Thresholds> queues,
                                @DefaultValue("") String managementUrl) {

    /** The thresholds of {@code queue}. */
    public Thresholds of(String queue) {
        return queues.getOrDefault(queue, Thresholds.DEFAULTS);
    }

    /**
     * Depths in messages. Defaults from the guides: warn at 100,000, shed at 500,000, resume
     * under 50,000; no hard limit.
     *
     * @param warn      from here: a log line, the level metric at 1, the scaling signal
     * @param shed      from here: routes with the {@code shedUnderBacklog} policy are suspended
     * @param resume    under this, a queue at warn or shed is back to normal (hysteresis)
     * @param hardLimit from here the ingress answers 503 for events bound to the queue; 0 for none
     */
    public record Thresholds(
            @DefaultValue("100000") long warn,
            @DefaultValue("500000") long shed,
            @DefaultValue("50000") long resume,
            @DefaultValue("0") long hardLimit) {

        static final Thresholds DEFAULTS = new Thresholds(100_000, 500_000, 50_000, 0);

        public Thresholds {
            if (resume < 0 || resume > warn || warn > shed) {
                throw new IllegalStateException("backlog thresholds need 0 <= resume <= warn <= shed; got resume "
                        + resume + ", warn " + warn + ", shed " + shed);
            }
            if (hardLimit < 0) {
                throw new IllegalStateException("a backlog hard limit is 0 (none) or positive; got " + hardLimit);
            }
        }
    }
}
