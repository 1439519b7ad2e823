package org.ccbridge.support;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ccbridge.CcbridgeApplication;

/**
 * ccbridge in a child JVM, so that a test can kill it with SIGKILL and start it again.
 */
public final class ServiceProcess implements AutoCloseable {

    private final List<String> launcher;
    private final File workingDirectory;
    private final List<String> arguments;
    private final Path log;
    private final int httpPort;
    private Process process;

    /** The application from the test classpath, in this JVM's working directory. */
    public ServiceProcess(int httpPort, Path log, String... properties) {
        this(List.of(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CcbridgeApplication.class.getName()), null, httpPort, log, properties);
    }

    private ServiceProcess(List<String> launcher, File workingDirectory, int httpPort, Path log, String... properties) {
        this.launcher = launcher;
        this.workingDirectory = workingDirectory;
        this.httpPort = httpPort;
        this.log = log;
        this.arguments = new ArrayList<>(List.of(properties));
        this.arguments.add("--server.port=" + httpPort);
    }

    /** {@code java -jar <jar>} as an operator runs it, in {@code workingDirectory}. */
    public static ServiceProcess ofJar(Path jar, Path workingDirectory, int httpPort, Path log, String... properties) {
        return new ServiceProcess(List.of(java(), "-Xmx512m", "-jar", jar.toAbsolutePath().toString()),
                workingDirectory.toFile(), httpPort, log, properties);
    }

    /**
     * The production profile on this machine's RabbitMQ, Redis and PostgreSQL (the {@code test}
     * database, test key prefix, no route reload), then {@code more}.
     */
    public static String[] onLocalServices(String... more) {
        List<String> settings = new ArrayList<>(List.of(
                "--spring.profiles.active=prod",
                "--spring.rabbitmq.addresses=amqp://guest:guest@127.0.0.1:" + LocalService.RABBITMQ.port(),
                "--spring.data.redis.url=redis://127.0.0.1:" + LocalService.REDIS.port(),
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + LocalService.POSTGRESQL.port() + "/test",
                "--spring.datasource.username=postgres",
                "--ccbridge.store.key-prefix=ccbridge-test:",
                "--ccbridge.routes.reload=false"));
        settings.addAll(List.of(more));
        return settings.toArray(String[]::new);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public WebhookClient start(Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(arguments);
        process = new ProcessBuilder(command)
                .directory(workingDirectory)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        WebhookClient client = new WebhookClient(httpPort);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("ccbridge exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<String> health = client.get("/actuator/health/readiness");
                if (health.statusCode() == 200) {
                    return client;
                }
            } catch (IllegalStateException notYetListening) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("ccbridge did not become ready within " + timeout + "; see " + log);
    }

    /** SIGKILL: no shutdown hooks, no flush, like a crashed host process. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    public static String absolute(String path) {
        return new File(path).getAbsolutePath();
    }
}
