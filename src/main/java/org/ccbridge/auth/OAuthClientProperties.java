package org.ccbridge.auth;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * OAuth 2.0 clients ccbridge authenticates as, by name.
 *
 * @param clients   by name; the name is what callers ask the cache for
 * @param lockWait  how long a caller waits while another instance refreshes, before it gets 503
 */
@ConfigurationProperties("ccbridge.oauth")
public record OAuthClientProperties(@DefaultValue Map<String, Client> clients, @DefaultValue("2s") Duration lockWait) {

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
