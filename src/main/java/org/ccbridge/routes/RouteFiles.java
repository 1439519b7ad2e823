package org.ccbridge.routes;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which files in the routes folder are route files. */
final class RouteFiles {

    static final String SUFFIX = ".camel.yaml";

    private RouteFiles() {
    }

    static boolean isRouteFile(Path path) {
        return path.getFileName().toString().endsWith(SUFFIX) && !Files.isDirectory(path);
    }
}
