package org.ccbridge.coordination;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Clients of the coordination APIs ({@code /locks}, and the session and gateway APIs to come).
 *
 * @param clients by client name; each client presents its API key as {@code Authorization: Bearer
 *                <key>}. Only the key's SHA-256 (hex) is configured, so a leaked configuration
 *                does not leak keys. A client with an empty hash is disabled.
 */
@ConfigurationProperties("ccbridge.api")
public record ApiClientProperties(@DefaultValue Map<String, Client> clients) {

    /** @param keySha256 SHA-256 of the client's API key, lower-case hex */
    public record Client(@DefaultValue("") String keySha256) {
    }
}
