package org.ccbridge.pull;

import java.time.Clock;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.cluster.LeaseClusterService;
import org.ccbridge.ingress.SourceKind;
import org.ccbridge.ingress.WebhookSource;
import org.ccbridge.ingress.WebhookSources;
import org.ccbridge.routes.TemplatedRoutes;

/** Pulled sources: their cursors, their metrics, and one route per source from its kind's template. */
@Configuration(proxyBeanMethods = false)
class PullConfiguration {

    @Bean
    PullCursors pullCursors(JdbcTemplate jdbc, Clock clock) {
        return new PullCursors(jdbc, clock);
    }

    @Bean
    PulledSourceMetrics pulledSourceMetrics(MeterRegistry registry, Clock clock, LeaseClusterService cluster) {
        return new PulledSourceMetrics(registry, clock, cluster::isLeader);
    }

    @Bean(CxonePolls.BEAN)
    CxonePolls cxonePolls(WebhookSources sources, OAuthTokenCache tokens, PullCursors cursors,
                          LeaseClusterService cluster, PulledSourceMetrics metrics, ObjectMapper json, Clock clock) {
        return new CxonePolls(sources, tokens, cursors, cluster, metrics, json, clock);
    }

    @Bean
    GenesysSessions genesysSessions(WebhookSources sources, OAuthTokenCache tokens, PulledSourceMetrics metrics,
                                    ObjectMapper json, Clock clock) {
        return new GenesysSessions(sources, tokens, metrics, json, clock);
    }

    /** The component of {@code genesys-notifications:<source>} consumers, found by its scheme. */
    @Bean(GenesysNotificationsComponent.SCHEME)
    GenesysNotificationsComponent genesysNotificationsComponent(GenesysSessions sessions) {
        return new GenesysNotificationsComponent(sessions);
    }

    /** Once the route files (and so the templates) are loaded: one route per pulled source. */
    @Bean
    CamelContextConfiguration pulledSourceRoutes(WebhookSources sources, OAuthTokenCache tokens,
                                                 TemplatedRoutes templatedRoutes, PulledSourceMetrics metrics) {
        // checked here, where a misconfigured source stops the start, not once the context runs
        sources.all().values().stream().filter(source -> source.settings().kind().pulledByCcbridge())
                .forEach(source -> requireOAuthClient(tokens, source));
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                // the templates come from files, which are not loaded yet
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                for (WebhookSource source : sources.all().values()) {
                    if (source.settings().kind().pulledByCcbridge()) {
                        metrics.show(source.name());
                        create(templatedRoutes, source);
                    }
                }
            }
        };
    }

    private static void requireOAuthClient(OAuthTokenCache tokens, WebhookSource source) {
        String client = source.settings().pull().oauthClient();
        if (!tokens.knows(client)) {
            throw new IllegalStateException("Source '" + source.name() + "' names pull.oauth-client " + client
                    + ", which is not configured under ccbridge.oauth.clients");
        }
    }

    private static void create(TemplatedRoutes templatedRoutes, WebhookSource source) {
        String template = templateOf(source.settings().kind());
        String routeId = template + "-" + source.name();
        try {
            templatedRoutes.add(template, routeId, source.settings().kind() == SourceKind.CXONE_POLL
                    ? Map.of("source", source.name(), "interval", source.settings().pull().interval().toMillis())
                    : Map.of("source", source.name()));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create route " + routeId + " from the route template " + template
                    + " (routes/" + template + ".camel.yaml): " + e.getMessage(), e);
        }
    }

    /** The template a kind's routes come from: the kind's name, as in the configuration. */
    static String templateOf(SourceKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
