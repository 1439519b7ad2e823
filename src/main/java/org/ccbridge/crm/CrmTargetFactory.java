package org.ccbridge.crm;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.component.salesforce.AuthenticationType;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.coordination.GatewayProperties;
import org.ccbridge.coordination.LockLostException;
import org.ccbridge.coordination.RateLimits;

/**
 * Builds a guarded target from its settings, with a Camel component of its own, so that
 * timeouts and logins are per target.
 */
public final class CrmTargetFactory {

    private CrmTargetFactory() {
    }

    /** The target, registered in {@code camel} as component {@code ccbridge-http-<name>} or {@code ccbridge-salesforce-<name>}. */
    public static GuardedTarget create(String name, CrmProperties.Target settings, CamelContext camel,
                                       ProducerTemplate producer, OAuthTokenCache tokens, RateLimits rateLimits,
                                       Clock clock) {
        CrmTarget target = switch (settings.type()) {
            case REST -> new RestCrmTarget(name, settings, httpComponent(camel, name, settings), producer, tokens);
            case SALESFORCE -> new SalesforceCrmTarget(name, settings, salesforceComponent(camel, name, settings),
                    producer);
        };
        return new GuardedTarget(name, target, circuitBreaker(name, settings.circuitBreaker()),
                rateLimits.limit("crm-" + name, settings.rateLimitPerSecond(), settings.rateLimitPerMinute(),
                        Duration.ofMinutes(1)), clock);
    }

    private static String httpComponent(CamelContext camel, String name, CrmProperties.Target settings) {
        String component = "ccbridge-http-" + name;
        if (!settings.baseUrl().startsWith("http://") && !settings.baseUrl().startsWith("https://")) {
            throw new IllegalStateException("ccbridge.crm.targets." + name + ".base-url must be an http(s) URL");
        }
        HttpComponent http = new HttpComponent();
        int timeout = Math.toIntExact(settings.timeout().toMillis());
        http.setConnectTimeout(timeout);
        http.setConnectionRequestTimeout(timeout);
        http.setResponseTimeout(timeout);
        http.setSoTimeout(timeout);
        camel.addComponent(component, http);
        return component;
    }

    private static String salesforceComponent(CamelContext camel, String name, CrmProperties.Target settings) {
        String component = "ccbridge-salesforce-" + name;
        CrmProperties.Salesforce salesforce = settings.salesforce();
        SalesforceComponent sf = new SalesforceComponent();
        sf.setLoginUrl(salesforce.loginUrl());
        if (!settings.baseUrl().isEmpty()) {
            sf.setInstanceUrl(settings.baseUrl());
        }
        sf.setAuthenticationType(AuthenticationType.CLIENT_CREDENTIALS);
        sf.setClientId(salesforce.clientId());
        sf.setClientSecret(salesforce.clientSecret());
        // log in on first use: a CRM that is down must not stop the service from starting
        sf.setLazyLogin(true);
        sf.setHttpRequestTimeout(settings.timeout().toMillis());
        // one new login and one repeat after a 401; a second 401 is not retried
        sf.setHttpClientProperties(new HashMap<>(Map.of("maxRetries", 1)));
        SalesforceEndpointConfig config = new SalesforceEndpointConfig();
        config.setApiVersion(salesforce.apiVersion());
        sf.setConfig(config);
        camel.addComponent(component, sf);
        return component;
    }

    private static CircuitBreaker circuitBreaker(String name, GatewayProperties.CircuitBreaker settings) {
        return CircuitBreaker.of("crm-" + name, settings.config()
                // half-open on its own after openFor, so that the paused consumer resumes
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                // a limit or a refused record says nothing about the target's health; a lost lock
                // or an open circuit elsewhere is ccbridge's own affair
                .ignoreExceptions(TargetThrottledException.class, TargetRejectedException.class, TargetFencedException.class,
                        LockLostException.class, CircuitOpenException.class)
                .build());
    }
}
