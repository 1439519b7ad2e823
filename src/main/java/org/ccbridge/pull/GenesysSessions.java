package org.ccbridge.pull;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Clock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.ingress.PullSettings;
import org.ccbridge.ingress.SourceKind;
import org.ccbridge.ingress.WebhookSources;

/** Opens the notification channel sessions of the {@code genesys-notifications} sources. */
public class GenesysSessions {

    private final WebhookSources sources;
    private final OAuthTokenCache tokens;
    private final PulledSourceMetrics metrics;
    private final ObjectMapper json;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public GenesysSessions(WebhookSources sources, OAuthTokenCache tokens, PulledSourceMetrics metrics,
                           ObjectMapper json, Clock clock) {
        this.sources = sources;
        this.tokens = tokens;
        this.metrics = metrics;
        this.json = json;
        this.clock = clock;
    }

    NotificationChannelSession open(String source, NotificationChannelSession.Messages messages) {
        PullSettings pull = sources.find(source).filter(found -> found.settings().kind() == SourceKind.GENESYS_NOTIFICATIONS)
                .orElseThrow(() -> new IllegalArgumentException("no source of kind genesys-notifications is "
                        + "configured as " + source)).settings().pull();
        GenesysChannelApi api = new GenesysChannelApi(source, pull.apiUrl(), pull.oauthClient(), pull.timeout(), tokens,
                json, http);
        return new NotificationChannelSession(source, api, pull.topics(), pull.silenceTimeout(), pull.renewBefore(), http,
                messages, metrics, clock);
    }

    /** A message's {@code topicName}; null when it has none or is no JSON. */
    String topicOf(String text) {
        try {
            JsonNode topic = json.readTree(text).path("topicName");
            return topic.isTextual() ? topic.asText() : null;
        } catch (IOException e) {
            return null;
        }
    }

    PulledSourceMetrics metrics() {
        return metrics;
    }
}
