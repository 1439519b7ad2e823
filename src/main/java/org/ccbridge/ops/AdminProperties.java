package org.ccbridge.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Access to {@code /admin/**}.
 *
 * @param token shared token operators send as {@code X-Admin-Token}; from the environment
 *              ({@code CCBRIDGE_ADMIN_TOKEN}), never from a file
 * @param open  whether the admin API answers without a token when none is set: true for the
 *              embedded default, false in the prod profile
 */
@ConfigurationProperties("ccbridge.admin")
public record AdminProperties(@DefaultValue("") String token, @DefaultValue("true") boolean open) {
}
