package org.ccbridge.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.RouteConfigurationsBuilder;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies an edited route file to the running context, or rejects it and keeps what runs.
 *
 * <p>Camel's own reload removes every route before loading the changed files, so one bad edit
 * takes the whole service down. Here a file is first parsed and checked on its own (every route
 * has an id); only then are its routes replaced, together with the routes of other files that
 * use a route configuration it defines. When the new routes fail to start, the last good text of
 * every touched file is installed again.
 */
public class GuardedRouteReloader {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedRouteReloader.class);

    private final CamelContext camel;
    private final Path directory;
    private final Map<Path, String> lastGood = new HashMap<>();

    private final TemplatedRoutes templatedRoutes;

    public GuardedRouteReloader(CamelContext camel, Path directory) {
        this(camel, directory, new TemplatedRoutes(camel));
    }

    /** @param templatedRoutes the routes created from templates, created again when their template's file changes */
    public GuardedRouteReloader(CamelContext camel, Path directory, TemplatedRoutes templatedRoutes) {
        this.camel = camel;
        this.directory = directory;
        this.templatedRoutes = templatedRoutes;
    }

    /** Remembers the files the context started with as the last good versions. */
    public synchronized void snapshot() throws IOException {
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(RouteFiles::isRouteFile).toList()) {
                lastGood.put(file.getFileName(), Files.readString(file));
            }
        }
    }

    /** Applies the current content of {@code file}; a missing file removes its routes. */
    public synchronized ReloadResult reload(Path file) {
        Path name = file.getFileName();
        String text;
        try {
            text = Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            return reject(name, "cannot read it: " + e.getMessage());
        }
        if (text != null && text.equals(lastGood.get(name))) {
            return ReloadResult.applied(routeIdsOf(name));
        }
        if (text != null) {
            String problem = validate(name, text);
            if (problem != null) {
                return reject(name, problem);
            }
        }

        Set<String> configurationIds = new HashSet<>(configurationIdsIn(name, lastGood.get(name)));
        configurationIds.addAll(configurationIdsIn(name, text));
        Set<Path> dependents = dependentsOf(configurationIds, name);
        try {
            install(name, text);
            for (Path dependent : dependents) {
                install(dependent, lastGood.get(dependent));
            }
        } catch (Exception e) {
            restore(name, dependents);
            return reject(name, "its routes did not start: " + rootMessage(e));
        }
        if (text == null) {
            lastGood.remove(name);
        } else {
            lastGood.put(name, text);
        }
        Set<String> ids = routeIdsOf(name);
        LOG.info("Route file {} applied; routes {} are running", name, ids);
        return ReloadResult.applied(ids);
    }

    private String validate(Path name, String text) {
        try {
            Set<String> ids = new LinkedHashSet<>();
            for (RoutesBuilder builder : load(name, text)) {
                if (builder instanceof RouteBuilder routeBuilder) {
                    for (RouteDefinition route : routeBuilder.configureRoutes(camel).getRoutes()) {
                        if (!route.hasCustomIdAssigned()) {
                            return "a route has no id (every route needs one so that reloads replace it)";
                        }
                        ids.add(route.getRouteId());
                    }
                }
            }
            for (String id : ids) {
                Path owner = fileOf(camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinition(id));
                if (owner != null && !owner.equals(name)) {
                    return "route id " + id + " is already used by " + owner;
                }
            }
            return null;
        } catch (Exception e) {
            return "it does not parse: " + rootMessage(e);
        }
    }

    private void install(Path name, String text) throws Exception {
        Set<String> previousIds = routeIdsOf(name);
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        for (String configurationId : configurationIdsIn(name, lastGood.get(name))) {
            RouteConfigurationDefinition configuration = model.getRouteConfigurationDefinition(configurationId);
            if (configuration != null) {
                model.removeRouteConfiguration(configuration);
            }
        }
        // a template added again does not replace the one of the same id: the first one found would win
        for (RouteTemplateDefinition template : List.copyOf(model.getRouteTemplateDefinitions())) {
            if (name.equals(fileOf(template.getResource()))) {
                model.removeRouteTemplateDefinition(template);
            }
        }
        Set<String> installed = new HashSet<>();
        Set<String> templateIds = new HashSet<>();
        if (text != null) {
            for (RoutesBuilder builder : load(name, text)) {
                if (builder instanceof RouteConfigurationsBuilder configurations) {
                    configurations.updateRouteConfigurationsToCamelContext(camel);
                }
                installed.addAll(builder.updateRoutesToCamelContext(camel));
                if (builder instanceof RouteBuilder routeBuilder) {
                    routeBuilder.getRouteTemplateCollection().getRouteTemplates()
                            .forEach(template -> templateIds.add(template.getId()));
                }
            }
        }
        for (String stale : previousIds) {
            if (!installed.contains(stale) && camel.getRoute(stale) != null) {
                camel.getRouteController().stopRoute(stale);
                camel.removeRoute(stale);
            }
        }
        // routes built from a template of this file follow its new text
        templatedRoutes.recreate(templateIds);
    }

    // Puts back the last good version of every file a failed reload touched.
    private void restore(Path name, Set<Path> dependents) {
        try {
            for (String id : routeIdsOf(name)) {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            }
            install(name, lastGood.get(name));
            for (Path dependent : dependents) {
                install(dependent, lastGood.get(dependent));
            }
        } catch (Exception e) {
            LOG.error("Could not restore the last good routes of {}; restart the service", name, e);
        }
    }

    private Collection<RoutesBuilder> load(Path name, String text) throws Exception {
        Resource resource = ResourceHelper.fromString("file:" + directory.resolve(name), text);
        RoutesLoader loader = PluginHelper.getRoutesLoader(camel);
        return loader.findRoutesBuilders(resource);
    }

    private Set<String> routeIdsOf(Path name) {
        Set<String> ids = new LinkedHashSet<>();
        for (RouteDefinition route : camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
            if (name.equals(fileOf(route.getResource()))) {
                ids.add(route.getRouteId());
            }
        }
        return ids;
    }

    // Route configurations do not reliably remember the file they came from, so their ids are
    // read from the text, in a scratch context that nothing runs in.
    private Set<String> configurationIdsIn(Path name, String text) {
        Set<String> ids = new HashSet<>();
        if (text == null) {
            return ids;
        }
        try (DefaultCamelContext scratch = new DefaultCamelContext()) {
            scratch.build();
            Resource resource = ResourceHelper.fromString("file:" + directory.resolve(name), text);
            for (RoutesBuilder builder : PluginHelper.getRoutesLoader(scratch).findRoutesBuilders(resource)) {
                if (builder instanceof RouteConfigurationBuilder configurations) {
                    configurations.addRouteConfigurationsToCamelContext(scratch);
                    configurations.getRouteConfigurationCollection().getRouteConfigurations()
                            .forEach(configuration -> ids.add(configuration.getId()));
                }
            }
        } catch (Exception e) {
            LOG.debug("No route configurations read from {}: {}", name, e.getMessage());
        }
        return ids;
    }

    private Set<Path> dependentsOf(Set<String> configIds, Path except) {
        Set<Path> files = new LinkedHashSet<>();
        for (RouteDefinition route : camel.getCamelContextExtension().getContextPlugin(Model.class).getRouteDefinitions()) {
            String used = route.getRouteConfigurationId();
            if (used == null) {
                continue;
            }
            for (String id : used.split(",")) {
                Path file = fileOf(route.getResource());
                if (configIds.contains(id.trim()) && file != null && !file.equals(except)) {
                    files.add(file);
                }
            }
        }
        return files;
    }

    private static Path fileOf(RouteDefinition route) {
        return route == null ? null : fileOf(route.getResource());
    }

    private static Path fileOf(Resource resource) {
        if (resource == null || resource.getLocation() == null) {
            return null;
        }
        String location = resource.getLocation();
        int colon = location.indexOf(':');
        return Path.of(colon >= 0 ? location.substring(colon + 1) : location).getFileName();
    }

    private ReloadResult reject(Path name, String reason) {
        LOG.error("Route file {} rejected, the running routes keep running: {}", name, reason);
        return ReloadResult.rejected(reason);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
