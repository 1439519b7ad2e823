package org.ccbridge.routes;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;

/**
 * Routes ccbridge creates from the route templates of the route files (one per configured
 * notification provider, for example), remembered so that a reload of a template's file creates
 * them again from its new text: a route built from a template does not follow it by itself.
 *
 * <p>Each route's step ids are its template's, prefixed with the route id and a colon, so that
 * they stay unique across the routes of one template.
 */
public class TemplatedRoutes {

    private record Instance(String templateId, String routeId, Map<String, Object> parameters) {
    }

    private final CamelContext camel;
    private final List<Instance> instances = new ArrayList<>();

    public TemplatedRoutes(CamelContext camel) {
        this.camel = camel;
    }

    /** Creates (and, in a started context, starts) route {@code routeId} from template {@code templateId}. */
    public synchronized void add(String templateId, String routeId, Map<String, Object> parameters) throws Exception {
        Instance instance = new Instance(templateId, routeId, Map.copyOf(parameters));
        create(instance);
        instances.add(instance);
    }

    /** Creates the routes of these templates again, from the templates the context has now. */
    public synchronized void recreate(Collection<String> templateIds) throws Exception {
        for (Instance instance : instances) {
            if (templateIds.contains(instance.templateId())) {
                if (camel.getRoute(instance.routeId()) != null) {
                    camel.getRouteController().stopRoute(instance.routeId());
                    camel.removeRoute(instance.routeId());
                }
                create(instance);
            }
        }
    }

    /** The ids of the routes created from this template. */
    public synchronized List<String> routeIdsOf(String templateId) {
        List<String> ids = new ArrayList<>();
        instances.stream().filter(instance -> instance.templateId().equals(templateId))
                .forEach(instance -> ids.add(instance.routeId()));
        return ids;
    }

    private void create(Instance instance) throws Exception {
        camel.getCamelContextExtension().getContextPlugin(Model.class).addRouteFromTemplate(instance.routeId(),
                instance.templateId(), instance.routeId() + ":", null, instance.parameters());
    }
}
