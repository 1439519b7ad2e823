package org.ccbridge.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The admin API's two roles, each with its own token, sent as {@code X-Admin-Token}. Both come
 * from the environment, never from a file. An API client holding the scope {@code admin:read} or
 * {@code admin:operate} has the same role.
 *
 * @param operateToken lists, inspects, and acts: replays dead letters, retries notifications,
 *                     decides review items ({@code CCBRIDGE_ADMIN_TOKEN})
 * @param readToken    lists and inspects only ({@code CCBRIDGE_ADMIN_READ_TOKEN})
 */
@ConfigurationProperties("ccbridge.admin")
public record AdminProperties(@DefaultValue("") String operateToken, @DefaultValue("") String readToken) {
}
