package org.ccbridge.ingress;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The configured webhook sources, by the name used in {@code POST /webhooks/{source}}.
 */
@ConfigurationProperties("ccbridge")
public record IngressProperties(Map<String, WebhookSourceProperties> sources) {

    public IngressProperties {
        sources = sources == null ? Map.of() : Map.copyOf(sources);
    }
}
