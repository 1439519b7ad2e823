package org.ccbridge.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Copies of the project's routes/ folder, for tests that edit route files on a running service. */
public final class RouteFolders {

    private RouteFolders() {
    }

    /** A fresh temporary folder holding every file of routes/ as it is now. */
    public static Path copyOfProjectRoutes(String prefix) {
        try {
            Path copy = Files.createTempDirectory(prefix);
            try (var files = Files.list(Path.of("routes"))) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(file.getFileName()));
                }
            }
            return copy;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
