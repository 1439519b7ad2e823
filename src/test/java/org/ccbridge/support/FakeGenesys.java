package org.ccbridge.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServlet;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A fake of Genesys Cloud's Notification Service for the {@code genesys-notifications} sources:
 * WireMock answers the token endpoint, {@code POST /api/v2/notifications/channels} (channels
 * {@code channel-1}, {@code channel-2}, ..., each with its own WebSocket and an expiry
 * {@link #nextLifetime} from now) and the subscriptions {@code PUT}; an embedded Tomcat serves the
 * channels' WebSockets, sends each open socket a heartbeat every second as Genesys does every 30 s,
 * and lets a test send messages, drop a socket or fall silent. It runs for the whole test JVM,
 * because the embedded-mode context keeps a channel open.
 */
public final class FakeGenesys {

    public static final String TOKEN_PATH = "/oauth/token";
    public static final String CHANNELS_PATH = "/api/v2/notifications/channels";
    public static final String HEARTBEAT = "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"WebSocket Heartbeat\"}}";

    private static final AtomicInteger CHANNELS = new AtomicInteger();
    private static final Map<String, Session> OPEN = new ConcurrentHashMap<>();
    private static final List<String> CLOSED_BY_CLIENT = new CopyOnWriteArrayList<>();
    private static volatile Duration nextLifetime = Duration.ofHours(24);
    private static volatile boolean heartbeats = true;
    private static final int SOCKET_PORT = startSockets();
    public static final WireMockServer API = startApi();

    private FakeGenesys() {
    }

    /**
     * A source of kind genesys-notifications named {@code source} that keeps a channel of this fake
     * open, subscribed to {@code topic}, given up after {@code silenceTimeout} without a message.
     */
    public static void registerSource(DynamicPropertyRegistry registry, String source, String topic,
                                      String silenceTimeout) {
        registry.add("ccbridge.oauth.clients.genesys-test.token-url", () -> API.baseUrl() + TOKEN_PATH);
        registry.add("ccbridge.oauth.clients.genesys-test.client-id", () -> "ccbridge-genesys-test");
        registry.add("ccbridge.oauth.clients.genesys-test.client-secret", () -> "genesys-test-client-secret");
        registry.add("ccbridge.sources." + source + ".kind", () -> "genesys-notifications");
        registry.add("ccbridge.sources." + source + ".format", () -> "genesys");
        registry.add("ccbridge.sources." + source + ".pull.oauth-client", () -> "genesys-test");
        registry.add("ccbridge.sources." + source + ".pull.api-url", API::baseUrl);
        registry.add("ccbridge.sources." + source + ".pull.topics[0]", () -> topic);
        registry.add("ccbridge.sources." + source + ".pull.silence-timeout", () -> silenceTimeout);
    }

    /** The channel created last, e.g. {@code channel-3}. */
    public static String latestChannel() {
        return "channel-" + CHANNELS.get();
    }

    public static int channelsCreated() {
        return CHANNELS.get();
    }

    /** Whether the client holds the channel's socket open now. */
    public static boolean open(String channel) {
        Session session = OPEN.get(channel);
        return session != null && session.isOpen();
    }

    /** The channels whose socket the client closed itself (replaced), as opposed to dropped by the fake. */
    public static List<String> closedByClient() {
        return List.copyOf(CLOSED_BY_CLIENT);
    }

    /** Sends a text frame on the channel's socket. */
    public static void send(String channel, String text) throws IOException {
        Session session = OPEN.get(channel);
        if (session == null) {
            throw new IllegalStateException(channel + " has no open socket");
        }
        synchronized (session) {
            session.getBasicRemote().sendText(text);
        }
    }

    /** Closes the channel's socket from Genesys's side, as a network drop or a restart would. */
    public static void drop(String channel) throws IOException {
        Session session = OPEN.remove(channel);
        if (session != null) {
            session.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "dropped by the fake"));
        }
    }

    /** How long from their creation the next channels live (24 h, as Genesys's, unless a test says otherwise). */
    public static void nextLifetime(Duration lifetime) {
        nextLifetime = lifetime;
    }

    /** Stops or resumes the heartbeats on every socket. */
    public static void heartbeats(boolean on) {
        heartbeats = on;
    }

    /** A notification as Genesys sends it on a channel. */
    public static String event(String topic, String correlationId, String conversationId) {
        return "{\"topicName\":\"" + topic + "\",\"version\":\"2\",\"eventBody\":{\"id\":\"" + conversationId
                + "\",\"eventTime\":\"2026-12-08T01:00:00.000Z\",\"participants\":[{\"purpose\":\"customer\","
                + "\"calls\":[{\"state\":\"connected\"}]}]},\"metadata\":{\"CorrelationId\":\"" + correlationId + "\"}}";
    }

    private static WireMockServer startApi() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().extensions(new ChannelCreation()));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fake-genesys-stop"));
        server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"genesys-token\",\"token_type\":\"bearer\",\"expires_in\":86399}")));
        server.stubFor(post(urlPathEqualTo(CHANNELS_PATH)).willReturn(aResponse()
                .withTransformers(ChannelCreation.NAME)));
        server.stubFor(put(urlPathMatching(CHANNELS_PATH + "/[^/]+/subscriptions")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"entities\":[{\"id\":\"v2.routing.queues.5a9f6c2e-0b7d-4c57-9b8e-2d1f4e6a7c3b"
                        + ".conversations\",\"state\":\"Permitted\"}]}")));
        return server;
    }

    private static int startSockets() {
        try {
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(Files.createTempDirectory("fake-genesys").toString());
            tomcat.setPort(0);
            Context context = tomcat.addContext("", null);
            context.addServletContainerInitializer(new WsSci(), null);
            context.addServletContainerInitializer((classes, servletContext) -> {
                ServerContainer container = (ServerContainer) servletContext.getAttribute(ServerContainer.class.getName());
                try {
                    container.addEndpoint(ServerEndpointConfig.Builder.create(ChannelSocket.class, "/channels/{id}").build());
                } catch (jakarta.websocket.DeploymentException e) {
                    throw new IllegalStateException(e);
                }
            }, null);
            Tomcat.addServlet(context, "none", new HttpServlet() { });
            context.addServletMappingDecoded("/", "none");
            tomcat.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    tomcat.stop();
                } catch (Exception ignored) {
                    // the JVM is ending
                }
            }, "fake-genesys-sockets-stop"));
            ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "fake-genesys-heartbeat");
                thread.setDaemon(true);
                return thread;
            });
            beat.scheduleWithFixedDelay(FakeGenesys::beat, 1, 1, TimeUnit.SECONDS);
            return tomcat.getConnector().getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake Genesys sockets", e);
        }
    }

    private static void beat() {
        if (!heartbeats) {
            return;
        }
        for (String channel : OPEN.keySet()) {
            try {
                send(channel, HEARTBEAT);
            } catch (Exception closing) {
                // the socket is going away; the next beat skips it
            }
        }
    }

    /** The socket of one channel, at {@code /channels/{id}}. */
    public static final class ChannelSocket extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            OPEN.put(session.getPathParameters().get("id"), session);
        }

        @Override
        public void onClose(Session session, CloseReason reason) {
            String channel = session.getPathParameters().get("id");
            if (OPEN.remove(channel, session)) {
                CLOSED_BY_CLIENT.add(channel);
            }
        }
    }

    /** Answers a channel creation with the next channel, its socket on the embedded Tomcat. */
    public static final class ChannelCreation extends NamedTransformer {

        static final String NAME = "genesys-channel-creation";

        public ChannelCreation() {
            super(NAME);
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String id = "channel-" + CHANNELS.incrementAndGet();
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"id\":\"" + id + "\",\"connectUri\":\"ws://127.0.0.1:" + SOCKET_PORT + "/channels/" + id
                            + "\",\"expires\":\"" + Instant.now().plus(nextLifetime) + "\"}")
                    .build();
        }
    }
}
