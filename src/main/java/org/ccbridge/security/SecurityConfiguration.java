package org.ccbridge.security;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFilter;

/**
 * The one place that decides who may call what: two filter chains over one access table
 * ({@link AccessRules}), both denying what the table does not name.
 * <ul>
 * <li>Webhooks have no credential filters at all: each source signs its events, and the route
 *     checks the signature over the raw body. Their chain only applies the table.</li>
 * <li>Everything else reads an API key or admin token ({@link CredentialConverter}), checks it, and
 *     applies the table.</li>
 * </ul>
 * Neither chain keeps a session or reads a cookie: every request carries its credential in a
 * header that a browser will not send cross-site, so there is nothing for CSRF to ride on.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiClientProperties clients) {
        return new ApiKeyAuthenticationProvider(clients);
    }

    @Bean
    AdminTokenAuthenticationProvider adminTokenAuthenticationProvider(AdminProperties admin) {
        return new AdminTokenAuthenticationProvider(admin);
    }

    @Bean
    ProblemReplies securityProblemReplies(MeterRegistry meters, ApiKeyAuthenticationProvider apiKeys,
                                          AdminTokenAuthenticationProvider adminTokens) {
        return new ProblemReplies(meters, adminTokens.anyTokenConfigured() || apiKeys.anyClientHasAdminScope());
    }

    /**
     * No observation per filter chain, authentication and authorization: with an observation
     * registry present Spring Security would otherwise time each of them on every webhook delivery,
     * work the ingress pays for and nobody reads; refusals are counted by {@link ProblemReplies}.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** Paths that could be read two ways never reach a rule; they get a 400. */
    @Bean
    WebSecurityCustomizer canonicalPaths(ProblemReplies problems) {
        return web -> web.httpFirewall(new CanonicalPathFirewall()).requestRejectedHandler(problems);
    }

    @Bean
    @Order(1)
    SecurityFilterChain webhookChain(HttpSecurity http, ProblemReplies problems) throws Exception {
        statelessWithProblemReplies(http.securityMatcher(AccessRules.WEBHOOKS), problems);
        // machine-to-machine replies: the browser-oriented headers would only cost the ingress time
        http.headers(AbstractHttpConfigurer::disable)
                .securityContext(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(SecurityConfiguration::accessTable);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, ProblemReplies problems, ApiKeyAuthenticationProvider apiKeys,
                                 AdminTokenAuthenticationProvider adminTokens) throws Exception {
        AuthenticationFilter credentials = new AuthenticationFilter(new ProviderManager(apiKeys, adminTokens),
                new CredentialConverter());
        credentials.setSuccessHandler((request, response, authentication) -> {
            // go on to the access table; there is nowhere to redirect to
        });
        credentials.setFailureHandler(problems::commence);
        statelessWithProblemReplies(http, problems);
        http.addFilterBefore(credentials, AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(SecurityConfiguration::accessTable);
        return http.build();
    }

    private static void accessTable(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        for (AccessRule rule : AccessRules.RULES) {
            requests.requestMatchers(rule.requests()).access(rule.access());
        }
        requests.anyRequest().denyAll();
    }

    private static void statelessWithProblemReplies(HttpSecurity http, ProblemReplies problems) throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems));
    }
}
