package org.ccbridge.broker;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.apache.qpid.server.SystemLauncher;
import org.apache.qpid.server.model.SystemConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Qpid Broker-J in this process: AMQP 0-9-1 on 127.0.0.1 with a Derby message store on
 * disk, so that persistent messages in durable queues survive a kill -9 of the service.
 *
 * <p>Any virtual host name a client asks for (RabbitMQ clients ask for "/") maps to the one
 * virtual host. Qpid's own log configuration is left out: it logs through SLF4J into the
 * application's logging.
 */
public class EmbeddedAmqpBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedAmqpBroker.class);
    private static final String INITIAL_CONFIG = "qpid-initial-config.json";

    private final int port;
    private final Path workDir;
    private final String username;
    private final String password;
    private SystemLauncher launcher;

    public EmbeddedAmqpBroker(int port, Path workDir, String username, String password) {
        this.port = port;
        this.workDir = workDir.toAbsolutePath().normalize();
        this.username = username;
        this.password = password;
    }

    public synchronized void start() throws Exception {
        if (launcher != null) {
            return;
        }
        Files.createDirectories(workDir);
        URL initialConfig = EmbeddedAmqpBroker.class.getResource(INITIAL_CONFIG);
        if (initialConfig == null) {
            throw new IOException(INITIAL_CONFIG + " is missing from the classpath");
        }
        Map<String, Object> context = new HashMap<>();
        context.put("qpid.work_dir", workDir.toString());
        context.put("qpid.amqp_port", Integer.toString(port));
        context.put("ccbridge.broker.username", username);
        context.put("ccbridge.broker.password", password);

        Map<String, Object> attributes = new HashMap<>();
        attributes.put(SystemConfig.TYPE, "JSON");
        attributes.put(SystemConfig.INITIAL_CONFIGURATION_LOCATION, initialConfig.toExternalForm());
        attributes.put(SystemConfig.STARTUP_LOGGED_TO_SYSTEM_OUT, false);
        attributes.put("storePath", workDir.resolve("config.json").toString());
        attributes.put(SystemConfig.CONTEXT, context);

        long started = System.nanoTime();
        SystemLauncher systemLauncher = new SystemLauncher();
        systemLauncher.startup(attributes);
        launcher = systemLauncher;
        LOG.info("Embedded AMQP broker listening on 127.0.0.1:{} with its store in {} (started in {} ms)",
                port, workDir, (System.nanoTime() - started) / 1_000_000);
    }

    public int port() {
        return port;
    }

    @Override
    public synchronized void close() {
        if (launcher != null) {
            launcher.shutdown();
            launcher = null;
        }
    }
}
