package org.ccbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A route folder laid out the way Kubernetes mounts a ConfigMap: each route file is a symlink
 * through {@code ..data}, which points to a timestamped folder; an update writes a new folder and
 * swaps the {@code ..data} link atomically, so the route files themselves see no event. The
 * watcher still applies the new text.
 */
class ConfigMapRouteFolderTests {

    @TempDir
    Path mount;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private RouteFileWatcher watcher;

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.stop();
        }
        camel.stop();
    }

    @Test
    void aConfigMapUpdateSwappingTheDataLinkReloadsTheRouteFile() throws Exception {
        Path first = mount.resolve("..2026_11_29_08_00_00.000000001");
        Files.createDirectories(first);
        Files.writeString(first.resolve("ping.camel.yaml"), route("ping-log-v1"));
        Files.createSymbolicLink(mount.resolve("..data"), first.getFileName());
        Files.createSymbolicLink(mount.resolve("ping.camel.yaml"), Path.of("..data", "ping.camel.yaml"));
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveMandatoryResource(camel, "file:" + mount.resolve("ping.camel.yaml")));
        camel.start();
        watcher = new RouteFileWatcher(new GuardedRouteReloader(camel, mount), mount, Duration.ofMillis(100));
        watcher.start();
        assertThat(camel.getProcessor("ping-log-v1")).isNotNull();

        // what the kubelet does: a new folder, a new link beside ..data, renamed over it
        Path second = mount.resolve("..2026_11_29_08_05_00.000000002");
        Files.createDirectories(second);
        Files.writeString(second.resolve("ping.camel.yaml"), route("ping-log-v2"));
        Files.createSymbolicLink(mount.resolve("..data_tmp"), second.getFileName());
        Files.move(mount.resolve("..data_tmp"), mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        Files.delete(first.resolve("ping.camel.yaml"));
        Files.delete(first);

        await().atMost(Duration.ofSeconds(10)).until(() -> camel.getProcessor("ping-log-v2") != null);
        assertThat(camel.getProcessor("ping-log-v1")).isNull();
    }

    private static String route(String logStepId) {
        return """
                # ping: a route for this test
                - route:
                    id: ping
                    from:
                      id: ping-from
                      uri: direct:ping
                      steps:
                        - log:
                            id: %s
                            message: pong
                """.formatted(logStepId);
    }
}
