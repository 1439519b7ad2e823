package org.ccbridge.auth;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OAuth 2.0 clients ccbridge authenticates as, by name.
 *
 * @param clients        by name; the name is what callers ask the cache for
 * @param lockWait       how long a caller waits while another instance refreshes, before it gets 503
 * @param refreshBackoff how long every instance waits before it asks a token endpoint again
 *                       after a refused or failed request
 */
@ConfigurationProperties("ccbridge.oauth")
public record OAuthClientProperties(@DefaultValue Map<String, Client> clients, @DefaultValue("2s") Duration lockWait,
                                    @DefaultValue RefreshBackoffSettings refreshBackoff) {

    @ConstructorBinding
    public OAuthClientProperties {
        // the binder's constructor, with the other one beside it
    }

    /** Clients with the default refresh backoff. */
    public OAuthClientProperties(Map<String, Client> clients, Duration lockWait) {
        this(clients, lockWait, new RefreshBackoffSettings(Duration.ofSeconds(5), Duration.ofMinutes(5)));
    }

    /**
     * Exponential with equal jitter, from {@code initial} after the first refusal to {@code max};
     * a longer Retry-After of the endpoint wins. Defaults: 5 s, doubling, up to 5 minutes.
     */
    public record RefreshBackoffSettings(@DefaultValue("5s") Duration initial, @DefaultValue("5m") Duration max) {
    }

    /**
     * @param tokenUrl             the token endpoint, e.g. https://login.mypurecloud.com/oauth/token
     * @param clientId             the client id
     * @param clientSecret         the client secret, from the environment only
     * @param scope                requested scope, when the platform wants one
     * @param clientAuthentication {@code basic} (HTTP Basic, RFC 6749 2.3.1) or {@code post} (in the form)
     * @param timeout              connect and read timeout of the token request
     * @param defaultLifetime      lifetime assumed when the response has no {@code expires_in}
     */
    public record Client(
            String tokenUrl,
            String clientId,
            String clientSecret,
            @DefaultValue("") String scope,
            @DefaultValue("basic") String clientAuthentication,
            @DefaultValue("5s") Duration timeout,
            @DefaultValue("1h") Duration defaultLifetime) {
    }
}
