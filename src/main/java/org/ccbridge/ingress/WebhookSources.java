package org.ccbridge.ingress;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The configured webhook sources, validated at startup so that a misconfigured source stops the
 * service instead of answering 401 to every delivery.
 */
@Component
public class WebhookSources {

    private final Map<String, WebhookSource> sources = new LinkedHashMap<>();

    /**
     * @param crmSources the sources that speak for the CRM ({@code ccbridge.sync.crm-sources}): their
     *                   events go to the CRM lane, whatever channel their payload names
     */
    public WebhookSources(IngressProperties properties, ObjectMapper objectMapper,
                          @Value("${ccbridge.sync.crm-sources:}") Set<String> crmSources) {
        properties.sources().forEach((name, settings) -> sources.put(name,
                create(name, crmSources.contains(name) ? settings.inCrmLane() : settings, objectMapper)));
    }

    /** A source of any kind. */
    public Optional<WebhookSource> find(String name) {
        return Optional.ofNullable(name).map(sources::get);
    }

    /** A source that takes webhooks: a source whose events come from a route takes none. */
    public Optional<WebhookSource> findWebhook(String name) {
        return find(name).filter(source -> source.settings().kind() == SourceKind.WEBHOOK);
    }

    public Map<String, WebhookSource> all() {
        return Map.copyOf(sources);
    }

    private static WebhookSource create(String name, WebhookSourceProperties settings, ObjectMapper objectMapper) {
        if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalStateException("Source name '" + name + "' must be lower-case letters, digits and dashes");
        }
        if (settings.format() == null) {
            throw new IllegalStateException("Source '" + name + "' needs a format");
        }
        EnvelopeParser parser = new EnvelopeParser(settings.format(), objectMapper);
        EventCriticality criticality = EventCriticality.of(settings.nonCriticalTypes());
        if (settings.kind().pulledByCcbridge()) {
            requirePullSettings(name, settings);
        }
        if (settings.kind() != SourceKind.WEBHOOK) {
            // its events come from a route in this service: nothing to authenticate
            return new WebhookSource(name, settings, null, parser, criticality);
        }
        if (settings.scheme() == null) {
            throw new IllegalStateException("Source '" + name + "' needs a scheme");
        }
        List<String> secrets = secrets(name, settings);
        WebhookAuthenticator authenticator = switch (settings.scheme()) {
            case STANDARD_WEBHOOKS -> new StandardWebhooksAuthenticator(secrets, settings.tolerance());
            case HMAC_SHA256 -> new HmacHeaderAuthenticator(secrets, requiredHeader(name, settings),
                    settings.signaturePrefix(), settings.encoding(), settings.timestampHeader(), settings.tolerance());
            case SHARED_SECRET -> new SharedSecretAuthenticator(secrets, requiredHeader(name, settings));
        };
        return new WebhookSource(name, settings, authenticator, parser, criticality);
    }

    private static void requirePullSettings(String name, WebhookSourceProperties settings) {
        PullSettings pull = settings.pull();
        String kind = settings.kind().name().toLowerCase(Locale.ROOT).replace('_', '-');
        if (pull == null || pull.oauthClient() == null || pull.oauthClient().isBlank()) {
            throw new IllegalStateException("Source '" + name + "' of kind " + kind + " needs pull.oauth-client");
        }
        boolean complete = settings.kind() == SourceKind.CXONE_POLL ? pull.url() != null && !pull.url().isBlank()
                : pull.apiUrl() != null && !pull.apiUrl().isBlank() && !pull.topics().isEmpty();
        if (!complete) {
            throw new IllegalStateException("Source '" + name + "' of kind " + kind + " needs "
                    + (settings.kind() == SourceKind.CXONE_POLL ? "pull.url" : "pull.api-url and pull.topics"));
        }
        if (settings.kind() == SourceKind.GENESYS_NOTIFICATIONS
                && pull.renewBefore().compareTo(Duration.ofHours(12)) > 0) {
            // a channel lives 24 h: renewing it more than half its life early would renew it again and again
            throw new IllegalStateException("Source '" + name + "': pull.renew-before must be at most 12h");
        }
    }

    private static List<String> secrets(String name, WebhookSourceProperties settings) {
        List<String> secrets = new ArrayList<>();
        if (settings.secret() == null || settings.secret().isBlank()) {
            throw new IllegalStateException("Source '" + name + "' has no secret; set it through an environment variable");
        }
        secrets.add(settings.secret());
        if (settings.previousSecret() != null && !settings.previousSecret().isBlank()) {
            secrets.add(settings.previousSecret());
        }
        return secrets;
    }

    private static String requiredHeader(String name, WebhookSourceProperties settings) {
        if (settings.signatureHeader() == null || settings.signatureHeader().isBlank()) {
            throw new IllegalStateException("Source '" + name + "' needs signature-header for scheme " + settings.scheme());
        }
        return settings.signatureHeader();
    }
}
