package org.ccbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.ccbridge.support.FreePorts;
import org.ccbridge.support.ServiceProcess;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar as it ships, started with {@code java -jar} from an empty folder on its embedded
 * defaults: it runs the route files packaged in it and accepts a signed event. Runs after
 * {@code package} (failsafe), so that it starts the real jar, not the test classpath.
 */
class JarFromAnyFolderIT {

    @TempDir
    Path emptyFolder;

    @TempDir
    Path logs;

    @Test
    void theJarRunsFromAnEmptyFolderAndAcceptsAnEvent() throws Exception {
        Path jar = Path.of(System.getProperty("ccbridge.jar", "target/ccbridge-0.1.0-SNAPSHOT.jar"));
        assertThat(jar).as("the packaged jar").exists();
        try (Stream<Path> before = Files.list(emptyFolder)) {
            assertThat(before).as("an empty folder").isEmpty();
        }
        Path log = logs.resolve("jar.log");
        int brokerPort = FreePorts.next();
        try (ServiceProcess service = ServiceProcess.ofJar(jar, emptyFolder, FreePorts.next(), log,
                "--ccbridge.broker.embedded.port=" + brokerPort,
                // the first delivery runs on a cold JVM
                "--ccbridge.ingress.ack-budget=2s")) {
            WebhookClient client = service.start(Duration.ofSeconds(120));

            String accepted = client.postDemo(WebhookClient.newEventId(), WebhookClient.demoEvent("voice", "c-jar-1"))
                    .body();

            assertThat(accepted).as("log in " + log).contains("ACCEPTED");
            assertThat(Files.readString(log)).as("no routes folder was watched")
                    .doesNotContain("Cannot watch route folder");
        }
        try (Stream<Path> after = Files.list(emptyFolder)) {
            assertThat(after).as("what the embedded mode keeps, under the working folder")
                    .extracting(path -> path.getFileName().toString()).containsExactly("data");
        }
    }
}
