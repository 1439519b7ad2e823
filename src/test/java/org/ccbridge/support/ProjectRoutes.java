package org.ccbridge.support;

import java.nio.file.Path;

import org.apache.camel.CamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

/** The project's {@code routes/} folder, as shipped. */
public final class ProjectRoutes {

    public static final Path FOLDER = Path.of("routes");

    private ProjectRoutes() {
    }

    /** Loads route files of the project's routes/ folder into {@code camel}. */
    public static void load(CamelContext camel, String... files) throws Exception {
        for (String file : files) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(
                    ResourceHelper.resolveMandatoryResource(camel, "file:" + FOLDER.resolve(file).toAbsolutePath()));
        }
    }
}
