package org.ccbridge.coordination;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the {@code /locks} API.
 *
 * @param maxWaitingRequests how many requests may wait for a held lock at once ({@code waitSeconds}
 *                           above 0). Each waits on a web server thread, the same threads webhook
 *                           deliveries need; past this a request that would wait gets 429.
 */
@ConfigurationProperties("ccbridge.locks")
public record LockProperties(@DefaultValue("16") int maxWaitingRequests) {
}
