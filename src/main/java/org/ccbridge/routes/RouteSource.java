package org.ccbridge.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Where the routes come from: the folder {@code ccbridge.routes-dir} (default {@code routes}) when
 * it exists, watched and reloaded live; otherwise the route files packaged in the application
 * ({@code classpath:routes/}), so that the jar runs from any folder. A folder replaces the packaged
 * set as a whole: it holds every route the service runs.
 *
 * <p>Answers {@code camel.main.routes-include-pattern} with the lowest precedence, so that a
 * pattern set explicitly still wins. It is worked out when Camel asks, not when the environment
 * is prepared, so that the folder is the one the application finally runs with (tests set it
 * after this post-processor has run). The packaged files are listed by name: Spring resolves the
 * pattern inside the jar, and Camel then loads each by its plain classpath name.
 */
public class RouteSource implements EnvironmentPostProcessor {

    static final String DIRECTORY_PROPERTY = "ccbridge.routes-dir";
    static final String PACKAGED = "classpath:routes/";
    private static final String INCLUDE_PATTERN = "camel.main.routes-include-pattern";
    private static final Logger LOG = LoggerFactory.getLogger(RouteSource.class);

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new IncludePattern(environment));
    }

    /** The folder the routes are loaded from when it exists. */
    static Path directory(Environment environment) {
        return Path.of(environment.getProperty(DIRECTORY_PROPERTY, "routes"));
    }

    /**
     * The include pattern, from the folder or the packaged files. Its source is not the
     * environment itself: Spring Boot flattens a property source whose source is an environment
     * into that environment's sources, which would hold this one again, without end.
     */
    private static final class IncludePattern extends PropertySource<Object> {

        private final AtomicBoolean told = new AtomicBoolean();
        private final Environment environment;

        IncludePattern(Environment environment) {
            super("ccbridge-route-source", new Object());
            this.environment = environment;
        }

        @Override
        public Object getProperty(String name) {
            if (!INCLUDE_PATTERN.equals(name)) {
                return null;
            }
            Path directory = directory(environment);
            if (Files.isDirectory(directory)) {
                return "file:" + directory.toAbsolutePath() + "/*" + RouteFiles.SUFFIX;
            }
            if (told.compareAndSet(false, true)) {
                LOG.info("Route folder {} not found: running the routes packaged in the application; create the"
                        + " folder (or point {} to one) to run and edit your own", directory.toAbsolutePath(),
                        DIRECTORY_PROPERTY);
            }
            return packagedRouteFiles();
        }
    }

    private static String packagedRouteFiles() {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources(PACKAGED + "*" + RouteFiles.SUFFIX);
            if (files.length == 0) {
                throw new IllegalStateException("no route files packaged under " + PACKAGED);
            }
            return Arrays.stream(files).map(Resource::getFilename).sorted()
                    .map(name -> PACKAGED + name).collect(Collectors.joining(","));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the route files packaged under " + PACKAGED, e);
        }
    }
}
