package org.ccbridge.ingress;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.concurrent.CompletableFuture;

import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumer;
import org.apache.camel.component.platform.http.spi.PlatformHttpEngine;
import org.apache.camel.component.platform.http.springboot.SpringBootPlatformHttpConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A platform-http engine for Spring MVC that runs each exchange on the servlet thread that
 * received the request.
 *
 * <p>Camel's Spring Boot engine hands every request to a task executor and completes it through
 * a servlet async dispatch, a second pass through the filter chain and the dispatcher. Measured
 * on the 2-core reference machine that costs about 60 % of the throughput of a route that does
 * nothing (3.9k against 10.3k requests/s for a plain controller). The ingress waits on a
 * store call and a broker confirm anyway, so a thread per request is what it needs; Tomcat's
 * pool bounds them. Mappings, bindings and replies stay Camel's.
 */
class SynchronousPlatformHttpEngine implements PlatformHttpEngine {

    private final int port;

    SynchronousPlatformHttpEngine(int port) {
        this.port = port;
    }

    @Override
    public PlatformHttpConsumer createConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
        return new SynchronousConsumer(endpoint, processor);
    }

    @Override
    public int getServerPort() {
        return port;
    }

    /**
     * Spring MVC invokes {@code service} by reflection on the base class method; this override
     * processes the exchange inline and returns no future, which Spring treats as a request
     * already handled.
     */
    static final class SynchronousConsumer extends SpringBootPlatformHttpConsumer {

        private static final Logger LOG = LoggerFactory.getLogger(SynchronousConsumer.class);

        SynchronousConsumer(PlatformHttpEndpoint endpoint, Processor processor) {
            super(endpoint, processor, Runnable::run);
        }

        @Override
        public CompletableFuture<Void> service(HttpServletRequest request, HttpServletResponse response) {
            try {
                handleService(request, response);
            } catch (Exception e) {
                // the route's error handling answers every failure it sees; this is what is left
                LOG.warn("Error handling request: {}", e.getMessage(), e);
                try {
                    if (!response.isCommitted()) {
                        response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
                    }
                } catch (Exception ignored) {
                    // the client is gone
                }
            }
            return null;
        }
    }
}
