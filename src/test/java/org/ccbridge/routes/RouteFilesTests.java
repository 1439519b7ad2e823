package org.ccbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads every file in {@code routes/} the way the service does and checks the conventions that
 * live reload and route tests depend on.
 */
class RouteFilesTests {

    private static final Path ROUTES = Path.of("routes");
    private static DefaultCamelContext camel;
    private static final List<RouteDefinition> routes = new ArrayList<>();
    private static final List<RouteConfigurationDefinition> configurations = new ArrayList<>();
    /** The routes and the route templates, each under the id the file is named after. */
    private static final List<Named> named = new ArrayList<>();

    private record Named(String id, RouteDefinition route, String location) {
    }

    @BeforeAll
    static void loadEveryRouteFile() throws Exception {
        camel = new DefaultCamelContext();
        camel.build();
        for (Path file : routeFiles()) {
            var resource = ResourceHelper.fromString("file:" + file, Files.readString(file));
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(resource)) {
                if (builder instanceof RouteConfigurationBuilder configurationBuilder) {
                    configurationBuilder.addRouteConfigurationsToCamelContext(camel);
                    configurations.addAll(configurationBuilder.getRouteConfigurationCollection().getRouteConfigurations());
                }
                if (builder instanceof RouteBuilder routeBuilder) {
                    List<RouteDefinition> loaded = routeBuilder.configureRoutes(camel).getRoutes();
                    routes.addAll(loaded);
                    loaded.forEach(route -> named.add(new Named(route.getRouteId(), route, location(route))));
                    routeBuilder.getRouteTemplateCollection().getRouteTemplates().forEach(template -> named.add(
                            new Named(template.getId(), template.getRoute(), template.getResource().getLocation())));
                }
            }
        }
    }

    @AfterAll
    static void close() throws Exception {
        camel.close();
    }

    @Test
    void thereAreRoutesAndConfigurations() {
        assertThat(routes).extracting(RouteDefinition::getRouteId).contains("webhook-ingress");
        assertThat(configurations).extracting(RouteConfigurationDefinition::getId).contains("ingress-errors");
    }

    @Test
    void everyRouteIdIsItsFileStemAndUnique() {
        Set<String> seen = new HashSet<>();
        for (RouteDefinition route : routes) {
            assertThat(route.hasCustomIdAssigned()).as("route in %s has an id", location(route)).isTrue();
        }
        for (Named routeOrTemplate : named) {
            assertThat(seen.add(routeOrTemplate.id())).as("id %s is unique", routeOrTemplate.id()).isTrue();
            assertThat(routeOrTemplate.location()).endsWith("/" + routeOrTemplate.id() + RouteFiles.SUFFIX);
        }
    }

    @Test
    void theNotificationProviderTemplateIsLoadedWithItsRoute() {
        assertThat(named).filteredOn(routeOrTemplate -> routeOrTemplate.id().equals("notify-provider"))
                .singleElement().satisfies(template -> assertThat(template.route().getInput().getUri())
                        .isEqualTo("direct:notify-provider-{{provider}}"));
    }

    @Test
    void everyRouteUsesSharedErrorHandlingThatExists() {
        Set<String> configurationIds = new HashSet<>();
        configurations.forEach(c -> configurationIds.add(c.getId()));
        for (Named routeOrTemplate : named) {
            RouteDefinition route = routeOrTemplate.route();
            assertThat(route.getRouteConfigurationId()).as("routeConfigurationId of %s", routeOrTemplate.id()).isNotBlank();
            for (String id : route.getRouteConfigurationId().split(",")) {
                assertThat(configurationIds).as("configurations used by %s", routeOrTemplate.id()).contains(id.trim());
            }
        }
    }

    @Test
    void everyStepHasAnIdNamedAfterItsRoute() {
        for (Named routeOrTemplate : named) {
            RouteDefinition route = routeOrTemplate.route();
            String id = routeOrTemplate.id();
            assertThat(route.getInput().getId()).as("from of %s", id).startsWith(id + "-");
            for (ProcessorDefinition<?> step : allSteps(route.getOutputs())) {
                assertThat(hasId(step)).as("step %s of %s has an id", step.getShortName(), id).isTrue();
                assertThat(step.getId()).startsWith(id + "-");
            }
        }
        for (RouteConfigurationDefinition configuration : configurations) {
            configuration.getOnExceptions().forEach(onException -> {
                assertThat(hasId(onException)).as("onException of %s", configuration.getId()).isTrue();
                onException.getOutputs().forEach(step -> assertThat(hasId(step))
                        .as("step %s of %s has an id", step.getShortName(), configuration.getId()).isTrue());
            });
        }
    }

    @Test
    void everyFileOpensWithAHeaderNamingIt() throws IOException {
        for (Path file : routeFiles()) {
            String stem = file.getFileName().toString().replace(RouteFiles.SUFFIX, "");
            assertThat(Files.readString(file)).as("header of %s", file).startsWith("# " + stem + ": ");
        }
    }

    private static List<ProcessorDefinition<?>> allSteps(List<ProcessorDefinition<?>> outputs) {
        List<ProcessorDefinition<?>> steps = new ArrayList<>();
        for (ProcessorDefinition<?> output : outputs) {
            if (output instanceof OnExceptionDefinition) {
                // merged in from the route configuration, checked with it
                continue;
            }
            steps.add(output);
            steps.addAll(allSteps(output.getOutputs()));
        }
        return steps;
    }

    private static boolean hasId(OptionalIdentifiedDefinition<?> definition) {
        return definition.hasCustomIdAssigned();
    }

    private static String location(RouteDefinition route) {
        return route.getResource().getLocation();
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(RouteFiles::isRouteFile).sorted().toList();
        }
    }
}
