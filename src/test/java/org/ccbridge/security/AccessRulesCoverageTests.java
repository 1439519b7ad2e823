package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Every endpoint the service maps (Spring MVC controllers, actuator endpoints, Camel platform-http
 * routes) is named by a row of the access table, so that a new endpoint cannot ship open or be
 * refused by accident: it fails here until someone decides who may call it.
 */
class AccessRulesCoverageTests extends EmbeddedModeTestSupport {

    private static final List<String> ALL_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Autowired
    private ApplicationContext context;

    @Autowired
    private CamelContext camel;

    @Test
    void everyMappedEndpointHasARule() {
        List<String> endpoints = new ArrayList<>();
        context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values().forEach(mapping ->
                mapping.getHandlerMethods().keySet().forEach(info -> endpoints.addAll(endpoints(info))));
        assertThat(endpoints).as("the enumeration found the controllers, actuator and the webhook route")
                .contains("POST /locks/{resource}", "GET /admin/queues", "GET /actuator/health",
                        "POST /webhooks/{source}");

        List<String> uncovered = endpoints.stream().filter(endpoint -> !covered(endpoint)).toList();
        assertThat(uncovered).as("endpoints without a row in AccessRules").isEmpty();
    }

    @Test
    void everyCamelHttpEndpointHasARule() {
        Set<HttpEndpointModel> routes = camel.getComponent("platform-http", PlatformHttpComponent.class).getHttpEndpoints();
        assertThat(routes).isNotEmpty();
        for (HttpEndpointModel route : routes) {
            List<String> verbs = route.getVerbs() == null ? ALL_METHODS : List.of(route.getVerbs().split(","));
            for (String verb : verbs) {
                assertThat(covered(verb + " " + route.getUri())).as("%s %s", verb, route.getUri()).isTrue();
            }
        }
    }

    @Test
    void noUrlMappingServesAnythingBesideTheRules() {
        context.getBeansOfType(AbstractUrlHandlerMapping.class).values().forEach(mapping ->
                assertThat(mapping.getHandlerMap().keySet()).as("%s", mapping.getClass().getSimpleName())
                        .allMatch(pattern -> covered("GET " + pattern)));
    }

    @Test
    void whatNoRuleNamesIsNotCovered() {
        // the check above can fail: an endpoint no row names
        assertThat(covered("GET /reports/{id}")).isFalse();
        assertThat(covered("DELETE /admin/queues")).isFalse();
        assertThat(covered("GET /webhooks/{source}/extra")).isFalse();
    }

    private static List<String> endpoints(RequestMappingInfo info) {
        Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
        List<String> verbs = methods.isEmpty() ? ALL_METHODS : methods.stream().map(Enum::name).toList();
        List<String> endpoints = new ArrayList<>();
        for (String pattern : info.getPatternValues()) {
            verbs.forEach(verb -> endpoints.add(verb + " " + pattern));
        }
        return endpoints;
    }

    /** Whether a row of the table covers a request made to this mapping, with sample path variables. */
    private static boolean covered(String endpoint) {
        int space = endpoint.indexOf(' ');
        String path = endpoint.substring(space + 1)
                .replaceAll("\\{\\*[^}]+}", "sample/rest")
                .replaceAll("\\{[^}]+}", "sample")
                .replace("/**", "/sample/rest");
        MockHttpServletRequest request = new MockHttpServletRequest(endpoint.substring(0, space), path);
        return AccessRules.ruleFor(request).isPresent();
    }
}
