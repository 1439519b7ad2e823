package org.ccbridge.security;

import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Clients of the flow APIs ({@code /locks}, {@code /sessions}, {@code /gateway},
 * {@code /notifications}) and, where granted, of the admin API.
 *
 * @param clients by client name; each client presents its API key as {@code Authorization: Bearer
 *                <key>}. Only the key's SHA-256 (hex) is configured, so a leaked configuration
 *                does not leak keys. A client with an empty hash is disabled.
 */
@ConfigurationProperties("ccbridge.api")
public record ApiClientProperties(@DefaultValue Map<String, Client> clients) {

    /**
     * @param keySha256 SHA-256 of the client's API key, lower-case hex
     * @param scopes    what the client may call ({@link Scopes}); none by default, so a client
     *                  configured without scopes can authenticate but call nothing
     */
    public record Client(@DefaultValue("") String keySha256, @DefaultValue Set<String> scopes) {
    }
}
