package org.ccbridge.support;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The real services that tests use on 127.0.0.1.
 */
public enum LocalService {
    RABBITMQ(5672), REDIS(6379), POSTGRESQL(5432),
    /** RabbitMQ's management API: {@code rabbitmq-plugins enable rabbitmq_management}. */
    RABBITMQ_MANAGEMENT(15672);

    private final int port;

    LocalService(int port) {
        this.port = port;
    }

    public int port() {
        return port;
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
