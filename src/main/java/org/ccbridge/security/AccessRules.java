package org.ccbridge.security;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpMethod;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.DispatcherTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what, top to bottom; the first row that covers a request decides it, and a request
 * no row covers is refused. Paths are matched as Spring MVC matches them, after
 * {@link CanonicalPathFirewall} refused every spelling that could be read two ways.
 */
final class AccessRules {

    /** Requests that take the webhook chain, which has no credential filters: sources sign their events. */
    static final RequestMatcher WEBHOOKS = anyMethod("/webhooks/**");

    private static final AuthorizationManager<RequestAuthorizationContext> ANYONE =
            (authentication, context) -> new AuthorizationDecision(true);
    private static final AuthorizationManager<RequestAuthorizationContext> NOBODY =
            (authentication, context) -> new AuthorizationDecision(false);
    private static final AuthorizationManager<RequestAuthorizationContext> AUTHENTICATED =
            AuthenticatedAuthorizationManager.authenticated();
    private static final AuthorizationManager<RequestAuthorizationContext> ADMIN_READ =
            AuthorityAuthorizationManager.hasAnyAuthority(Scopes.ADMIN_READ, Scopes.ADMIN_OPERATE);
    private static final AuthorizationManager<RequestAuthorizationContext> ADMIN_OPERATE =
            AuthorityAuthorizationManager.hasAuthority(Scopes.ADMIN_OPERATE);

    static final List<AccessRule> RULES = List.of(
            // platform events: the webhook-ingress route checks the source's signature (and the method).
            // First, because every delivery is matched against the rows above its own.
            new AccessRule(anyMethod("/webhooks/{source}"), ANYONE, "the source's signature, checked by the route"),

            // the container's error page for a request that was already decided
            new AccessRule(new DispatcherTypeRequestMatcher(DispatcherType.ERROR), ANYONE, "none"),
            new AccessRule(anyMethod("/error"), NOBODY, "reached only through the container's error dispatch"),

            // probes and scrapers
            new AccessRule(path(GET, "/actuator/health", "/actuator/health/**"), ANYONE, "none"),
            new AccessRule(path(GET, "/actuator/prometheus"), ANYONE, "none"),
            new AccessRule(path(GET, "/actuator", "/actuator/info", "/actuator/metrics", "/actuator/metrics/**"),
                    ADMIN_READ, "the admin:read role"),

            // flow APIs: an API client holding the scope
            new AccessRule(path(List.of(POST, PUT, DELETE), "/locks/{resource}"), scope(Scopes.LOCKS),
                    "the scope " + Scopes.LOCKS),
            new AccessRule(path(List.of(GET, PUT, DELETE), "/sessions/{id}"), scope(Scopes.SESSIONS),
                    "the scope " + Scopes.SESSIONS),
            new AccessRule(path(List.of(POST, PUT, PATCH, DELETE), "/gateway/{target}/**"), gatewayTargetScope(),
                    "the scope gateway:<target> (or gateway:*)"),
            new AccessRule(path(POST, "/notifications"), scope(Scopes.NOTIFICATIONS), "the scope " + Scopes.NOTIFICATIONS),
            new AccessRule(path(POST, "/notifications:batch"), scope(Scopes.NOTIFICATIONS),
                    "the scope " + Scopes.NOTIFICATIONS),
            new AccessRule(path(GET, "/notifications/{id}"), scope(Scopes.NOTIFICATIONS),
                    "the scope " + Scopes.NOTIFICATIONS),

            // operators: reading needs either admin role, acting needs operate
            new AccessRule(path(GET, "/admin/**"), ADMIN_READ, "the admin:read role"),
            // the console's page, script and style hold no data: it reads and acts through /admin/**
            // with the token the operator enters, under the two rows around this one
            new AccessRule(path(GET, "/console", "/console/{asset}"), ANYONE,
                    "none (static; its data comes from /admin/** with an admin token)"),
            // the contract holds no data, but it maps the API: callers who have a credential read it
            new AccessRule(path(GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml"), AUTHENTICATED,
                    "any API key or admin token"),
            new AccessRule(path(POST, "/admin/**"), ADMIN_OPERATE, "the admin:operate role"));

    private AccessRules() {
    }

    /** The first row that covers {@code request}, if any. */
    static Optional<AccessRule> ruleFor(HttpServletRequest request) {
        return RULES.stream().filter(rule -> rule.requests().matches(request)).findFirst();
    }

    private static AuthorizationManager<RequestAuthorizationContext> scope(String scope) {
        return AuthorityAuthorizationManager.hasAuthority(scope);
    }

    /** {@code gateway:<target>} for the target in the path, or {@code gateway:*}. */
    private static AuthorizationManager<RequestAuthorizationContext> gatewayTargetScope() {
        return (Supplier<Authentication> authentication, RequestAuthorizationContext context) -> {
            String target = context.getVariables().get("target");
            List<String> granting = List.of(Scopes.gateway(target), Scopes.gateway("*"));
            boolean granted = authentication.get().getAuthorities().stream()
                    .map(GrantedAuthority::getAuthority).anyMatch(granting::contains);
            return new AuthorizationDecision(granted);
        };
    }

    private static RequestMatcher anyMethod(String... patterns) {
        return path(List.of(), patterns);
    }

    private static RequestMatcher path(HttpMethod method, String... patterns) {
        return path(List.of(method), patterns);
    }

    /** Every method in {@code methods} on every pattern; any method when {@code methods} is empty. */
    private static RequestMatcher path(List<HttpMethod> methods, String... patterns) {
        List<RequestMatcher> matchers = new ArrayList<>();
        for (String pattern : patterns) {
            if (methods.isEmpty()) {
                matchers.add(PathPatternRequestMatcher.withDefaults().matcher(pattern));
            }
            for (HttpMethod method : methods) {
                matchers.add(PathPatternRequestMatcher.withDefaults().matcher(method, pattern));
            }
        }
        return matchers.size() == 1 ? matchers.get(0) : new OrRequestMatcher(matchers);
    }
}
