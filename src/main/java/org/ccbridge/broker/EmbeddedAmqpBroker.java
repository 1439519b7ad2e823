package org.ccbridge.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.SystemLauncherListener;
import org.apache.qpid.server.model.Broker;
import org.apache.qpid.server.model.ConfiguredObject;
import org.apache.qpid.server.model.State;
import org.apache.qpid.server.model.SystemConfig;
import org.apache.qpid.server.model.VirtualHost;
import org.apache.qpid.server.model.VirtualHostNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In-process Apache Qpid Broker-J speaking AMQP 0-9-1 (and 0-9, 0-8) on 127.0.0.1, with one
 * virtual host whose queues, exchanges, bindings and persistent messages are kept in a Derby
 * database under {@code workDir}, so they survive a crash of the JVM.
 *
 * <p>Clients connect with the PLAIN mechanism as the given user, to virtual host {@code "/"}
 * (Spring AMQP's default). Qpid logs through SLF4J only: the application's logging
 * configuration decides what is shown; Qpid's operational messages use the {@code qpid.message}
 * logger hierarchy at INFO.
 */
public final class EmbeddedAmqpBroker implements AutoCloseable {

    /**
     * Virtual host for clients: Qpid strips the leading '/' and its defaultAlias maps the empty
     * name to the only virtual host. Its own name, "default" (or "/default"), works too; any
     * other name is refused with reply code 404.
     */
    public static final String VIRTUAL_HOST = "/";

    static final String INITIAL_CONFIG_RESOURCE = "qpid-initial-config.json";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAmqpBroker.class);

    /** Qpid's system config type that rebuilds the broker model from the initial config on each start. */
    private static final String MEMORY_SYSTEM_CONFIG = "Memory";

    private final int port;
    private final Path workDir;
    private final String username;
    private final String password;

    private SystemLauncher launcher;

    public EmbeddedAmqpBroker(int port, Path workDir, String username, String password) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
        }
        this.port = port;
        this.workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath();
        this.username = requireLiteral(username, "username");
        this.password = requireLiteral(password, "password");
    }

    public int getPort() {
        return port;
    }

    public Path getWorkDir() {
        return workDir;
    }

    public synchronized boolean isRunning() {
        return launcher != null;
    }

    /**
     * Starts the broker and returns once its port is listening and its virtual host is active.
     *
     * @throws IllegalStateException if the broker is already running or cannot start (port in
     *         use, store locked by another process, ...)
     */
    public synchronized void start() {
        if (launcher != null) {
            throw new IllegalStateException("Embedded AMQP broker is already running");
        }
        long startedAt = System.nanoTime();
        routeDerbyLogToSlf4j();
        StartupListener listener = new StartupListener();
        SystemLauncher candidate = new SystemLauncher(listener);
        try {
            candidate.startup(systemConfigAttributes());
        } catch (Exception e) {
            throw new IllegalStateException("Embedded AMQP broker failed to start", e);
        }
        // SystemLauncher.startup() swallows runtime failures after cleaning up; the listener has them.
        if (listener.startupError != null) {
            throw new IllegalStateException("Embedded AMQP broker failed to start", listener.startupError);
        }
        try {
            requireActiveVirtualHost(listener.systemConfig);
        } catch (RuntimeException e) {
            candidate.shutdown();
            throw e;
        }
        launcher = candidate;
        LOG.info("Embedded AMQP broker listening on 127.0.0.1:{} (store {}), started in {} ms",
                port, storePath(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
    }

    /** Stops the broker, waiting up to 30 s for it to close cleanly. Does nothing if it is not running. */
    @Override
    public synchronized void close() {
        if (launcher == null) {
            return;
        }
        try {
            launcher.shutdown();
        } finally {
            launcher = null;
        }
        LOG.info("Embedded AMQP broker on port {} stopped", port);
    }

    /**
     * Derby writes its log to ./derby.log unless derby.stream.error.method names another sink
     * when the Derby engine boots. Qpid sets that property to its own SLF4J bridge, but only
     * after its plugin discovery has loaded the Derby driver, so derby.log is created anyway;
     * and its bridge logs parts of Derby's harmless boot banner at WARN. Hence our own sink,
     * set before Qpid runs. A value set by the application (-Dderby.stream.error.method) wins.
     */
    private static void routeDerbyLogToSlf4j() {
        if (System.getProperty(DerbyLog.ERROR_METHOD_PROPERTY) == null) {
            System.setProperty(DerbyLog.ERROR_METHOD_PROPERTY, DerbyLog.class.getName() + ".writer");
        }
    }

    private Map<String, Object> systemConfigAttributes() throws IOException {
        Path qpidDir = Files.createDirectories(workDir.resolve("qpid"));

        Map<String, String> context = new HashMap<>();
        context.put("ccbridge.broker.port", Integer.toString(port));
        context.put("ccbridge.broker.username", username);
        context.put("ccbridge.broker.password", password);
        context.put("ccbridge.broker.storePath", storePath().toString());
        // Anything Qpid would otherwise put under ${user.dir}/work goes to the work dir instead.
        context.put(SystemConfig.PROPERTY_QPID_WORK, qpidDir.toString());
        context.put(SystemConfig.QPID_WORK_DIR, qpidDir.toString());

        Map<String, Object> attributes = new HashMap<>();
        attributes.put(ConfiguredObject.TYPE, MEMORY_SYSTEM_CONFIG);
        attributes.put(ConfiguredObject.CONTEXT, context);
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION,
                copyInitialConfig(qpidDir).toUri().toString());
        attributes.put(SystemConfig.INITIAL_SYSTEM_PROPERTIES_LOCATION,
                writeEmptySystemProperties(qpidDir).toUri().toString());
        // Without this Qpid prints its startup messages (BRK-1001...) straight to System.out.
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, Boolean.FALSE);
        // Broker-level preferences are for the web console, which is not installed.
        attributes.put(Broker.PREFERENCE_STORE_ATTRIBUTES, Map.of(ConfiguredObject.TYPE, "Noop"));
        return attributes;
    }

    /**
     * Qpid reads its initial config from a URL or file. Its own "classpath:" URL scheme is
     * registered through java.protocol.handler.pkgs, which the JDK resolves with the system
     * class loader only, so it cannot see classes nested in a Spring Boot fat jar. Copying the
     * resource to a plain file works the same from the IDE, tests and the packaged app.
     */
    private static Path copyInitialConfig(Path qpidDir) throws IOException {
        Path target = qpidDir.resolve(INITIAL_CONFIG_RESOURCE);
        try (InputStream in = EmbeddedAmqpBroker.class.getResourceAsStream(INITIAL_CONFIG_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing classpath resource " + INITIAL_CONFIG_RESOURCE);
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

    /**
     * Without an explicit location Qpid loads "classpath:system.properties", which fails in a
     * fat jar for the reason given in {@link #copyInitialConfig}. Qpid copies every property of
     * that file into the JVM-wide system properties, so it is left empty on purpose.
     */
    private static Path writeEmptySystemProperties(Path qpidDir) throws IOException {
        Path target = qpidDir.resolve("qpid-system.properties");
        Files.writeString(target, "# Intentionally empty, see EmbeddedAmqpBroker.\n", StandardCharsets.UTF_8);
        return target;
    }

    private void requireActiveVirtualHost(SystemConfig<?> systemConfig) {
        Broker<?> broker = systemConfig == null ? null : systemConfig.getContainer(Broker.class);
        VirtualHostNode<?> node = broker == null ? null : broker.findDefautVirtualHostNode();
        VirtualHost<?> host = node == null ? null : node.getVirtualHost();
        if (host == null || host.getState() != State.ACTIVE) {
            throw new IllegalStateException("Embedded AMQP broker started but its virtual host is "
                    + (host == null ? "missing" : host.getState()) + "; store: " + storePath());
        }
    }

    private Path storePath() {
        return workDir.resolve("derby");
    }

    /** Qpid expands "${...}" in attribute values, which would silently change such a value. */
    private static String requireLiteral(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isEmpty() || value.contains("${")) {
            throw new IllegalArgumentException(name + " must be non-empty and must not contain \"${\"");
        }
        return value;
    }

    private static final class StartupListener extends SystemLauncherListener.DefaultSystemLauncherListener {

        private volatile SystemConfig<?> systemConfig;
        private volatile RuntimeException startupError;

        @Override
        public void onContainerResolve(SystemConfig<?> resolved) {
            systemConfig = resolved;
        }

        @Override
        public void errorOnStartup(RuntimeException e) {
            startupError = e;
        }
    }

    /**
     * Derby's log as SLF4J logger {@code org.ccbridge.broker.derby}: the boot and shutdown
     * banners Derby prints for every start and stop at DEBUG, anything mentioning an error at
     * WARN. Public only because Derby looks {@link #writer()} up by name.
     */
    public static final class DerbyLog extends Writer {

        static final String ERROR_METHOD_PROPERTY = "derby.stream.error.method";

        private static final Logger DERBY_LOG = LoggerFactory.getLogger("org.ccbridge.broker.derby");
        private static final DerbyLog INSTANCE = new DerbyLog();

        private final StringBuilder buffer = new StringBuilder();

        private DerbyLog() {
        }

        /** Called by Derby, see derby.stream.error.method. */
        public static Writer writer() {
            return INSTANCE;
        }

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            buffer.append(chars, offset, length);
        }

        /** Derby flushes after each message, so a flush delimits one log entry. */
        @Override
        public synchronized void flush() {
            String entry = buffer.toString().strip();
            buffer.setLength(0);
            if (entry.isEmpty() || entry.chars().allMatch(c -> c == '-')) {
                return;
            }
            if (entry.contains("ERROR") || entry.contains("Exception")) {
                DERBY_LOG.warn(entry);
            } else {
                DERBY_LOG.debug(entry);
            }
        }

        @Override
        public void close() {
            flush();
        }
    }
}
