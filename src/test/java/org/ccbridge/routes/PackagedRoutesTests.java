package org.ccbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.ccbridge.CcbridgeApplication;
import org.ccbridge.support.FreePorts;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The application runs without a routes folder beside it, as {@code java -jar} from any folder
 * does: it runs the route files packaged in it, every one of them, and has nothing to watch.
 */
@SpringBootTest(classes = CcbridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PackagedRoutesTests {

    @LocalServerPort
    private int port;

    @Autowired
    private CamelContext camel;

    @Autowired
    private ApplicationContext application;

    @DynamicPropertySource
    static void embeddedDefaultsWithoutARoutesFolder(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("ccbridge-packaged-routes");
        registry.add("ccbridge.data-dir", data::toString);
        int brokerPort = FreePorts.next(); // once: the supplier is asked on every read
        registry.add("ccbridge.broker.embedded.port", () -> brokerPort);
        registry.add("ccbridge.routes-dir", () -> data.resolve("no-routes-here").toString());
        // the first delivery runs on a cold JVM and may take longer than the 200 ms default
        registry.add("ccbridge.ingress.ack-budget", () -> "2s");
    }

    @Test
    void everyRouteOfTheProjectRunsFromThePackagedFiles() throws IOException {
        assertThat(camel.getRoutes()).extracting(Route::getRouteId)
                .containsExactlyInAnyOrderElementsOf(routeIdsOfTheProjectFolder());
        assertThat(camel.getRoutes()).allSatisfy(route ->
                assertThat(route.getSourceResource().getLocation()).startsWith(RouteSource.PACKAGED));
    }

    @Test
    void aSignedWebhookIsAcceptedAndNothingWatchesAFolder() {
        String body = "{\"type\":\"contact.updated\",\"data\":{\"channel\":\"voice\",\"contactId\":\"P-1\"}}";

        assertThat(new WebhookClient(port).postDemo(WebhookClient.newEventId(), body).statusCode()).isEqualTo(200);
        assertThat(application.getBeansOfType(RouteFileWatcher.class)).isEmpty();
    }

    /** A file's stem is its route's id; files of route configurations alone hold no route. */
    private static Set<String> routeIdsOfTheProjectFolder() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(RouteFiles::isRouteFile).filter(PackagedRoutesTests::holdsARoute)
                    .map(file -> file.getFileName().toString().replace(RouteFiles.SUFFIX, ""))
                    .collect(Collectors.toSet());
        }
    }

    private static boolean holdsARoute(Path file) {
        try {
            return Files.readString(file).contains("\n- route:");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
