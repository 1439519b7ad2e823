package org.ccbridge.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real services that tests use on 127.0.0.1, and the browser the console's test drives.
 */
public enum LocalService {
    RABBITMQ(5672), REDIS(6379), POSTGRESQL(5432),
    /** RabbitMQ's management API: {@code rabbitmq-plugins enable rabbitmq_management}. */
    RABBITMQ_MANAGEMENT(15672),
    /** Not a port: Debian's headless browser and its driver, {@code apt-get install chromium chromium-driver}. */
    CHROMIUM(0) {
        @Override
        public boolean reachable() {
            return Files.isExecutable(CHROMIUM_BINARY) && Files.isExecutable(CHROMEDRIVER_BINARY);
        }

        @Override
        public String describe() {
            return "CHROMIUM (" + CHROMIUM_BINARY + " and " + CHROMEDRIVER_BINARY
                    + ": apt-get install chromium chromium-driver)";
        }
    };

    public static final Path CHROMIUM_BINARY = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER_BINARY = Path.of("/usr/bin/chromedriver");

    private final int port;

    LocalService(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** What is missing when it is not reachable, for the skip or failure message. */
    public String describe() {
        return name() + " on 127.0.0.1:" + port;
    }

    public boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
