package org.ccbridge.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ccbridge.cluster.*}: leadership of {@code master:} routes.
 *
 * @param lease         how long a leader's lease lasts unrenewed: how long a route stays without a
 *                      leader after the instance running it died
 * @param renewInterval how often the leader renews its lease and the others try to take it; at
 *                      most half the lease
 */
@ConfigurationProperties("ccbridge.cluster")
public record ClusterProperties(@DefaultValue("15s") Duration lease, @DefaultValue("3s") Duration renewInterval) {
}
