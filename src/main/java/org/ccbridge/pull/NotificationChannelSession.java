package org.ccbridge.pull;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.ccbridge.coordination.JitteredBackoff;

/**
 * Keeps one Genesys notification channel open for a source: create the channel, subscribe its
 * topics, read its WebSocket, and hand every complete message to {@link Messages}, one at a time
 * and in order (the next frame is requested only when the last message was handled).
 *
 * <p>A channel is replaced by a new one (created, subscribed, connected, then the old socket
 * closed) before its expiry, and when Genesys announces {@code v2.system.socket_closing}. A
 * replaced socket is read until Genesys answers its close, so that what Genesys sent on it before
 * is handled too. A socket that closes, fails, or stays silent longer than the silence timeout
 * (Genesys sends a heartbeat every 30 s; time spent handling a message does not count) is given
 * up, and a new channel is opened, with a jittered backoff while that fails. Genesys does not
 * replay what it sent while no socket was open.
 *
 * <p>Channel ids appear in the log shortened: whoever knows a channel's id can read its socket.
 */
class NotificationChannelSession {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationChannelSession.class);
    private static final Duration WATCH_EVERY = Duration.ofMillis(250);
    /** How long a replaced socket is read while Genesys has not answered its close. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(30);
    private static final String SOCKET_CLOSING = "v2.system.socket_closing";

    /** What the session hands complete messages to. */
    interface Messages {
        /** Handles one message; returns when it is durable or given up. */
        void handle(String text, String topic);

        /** The topic of a message; null when it has none. */
        String topicOf(String text);
    }

    private final String source;
    private final GenesysChannelApi api;
    private final List<String> topics;
    private final Duration silenceTimeout;
    private final Duration renewBefore;
    private final HttpClient http;
    private final Messages messages;
    private final PulledSourceMetrics metrics;
    private final Clock clock;
    private final JitteredBackoff backoff = new JitteredBackoff(Duration.ofSeconds(1), Duration.ofMinutes(2));
    private ScheduledExecutorService scheduler;
    private volatile boolean running;
    private volatile Connection current;
    private volatile Instant retryAt = Instant.MIN;
    private int failures;

    NotificationChannelSession(String source, GenesysChannelApi api, List<String> topics, Duration silenceTimeout,
                               Duration renewBefore, HttpClient http, Messages messages, PulledSourceMetrics metrics,
                               Clock clock) {
        this.source = source;
        this.api = api;
        this.topics = List.copyOf(topics);
        this.silenceTimeout = silenceTimeout;
        this.renewBefore = renewBefore;
        this.http = http;
        this.messages = messages;
        this.metrics = metrics;
        this.clock = clock;
    }

    synchronized void start() {
        running = true;
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ccbridge-genesys-" + source);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::watch, 0, WATCH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        Connection connection;
        synchronized (this) {
            // a channel being opened now sees this and closes its socket instead of using it
            running = false;
            connection = current;
            current = null;
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (connection != null) {
            connection.close("the source stopped");
        }
        metrics.disconnected(source);
    }

    /**
     * Runs on the scheduler: opens a channel when there is none, gives up a closed or silent socket,
     * renews an expiring or closing channel; not before the backoff of a failed try has passed.
     */
    private void watch() {
        try {
            Instant now = clock.instant();
            if (!running || now.isBefore(retryAt)) {
                return;
            }
            String why = reasonToReplace(current, now);
            if (why != null) {
                replace(why);
            }
        } catch (Throwable e) {
            // an escaping throwable would end the scheduled task, and with it every reconnect
            LOG.error("Source {}: the channel watch failed; it runs again: {}", source, e.toString());
        }
    }

    /** Why the channel in use must be replaced now; null when it need not. */
    private String reasonToReplace(Connection connection, Instant now) {
        if (connection == null) {
            return "no channel open";
        }
        if (connection.closed) {
            return "the socket closed";
        }
        if (!connection.handling && now.isAfter(connection.lastMessageAt.plus(silenceTimeout))) {
            metrics.disconnected(source);
            return "no message for " + silenceTimeout.toSeconds() + " s";
        }
        if (now.isAfter(connection.channel.expires().minus(renewBefore))) {
            return "the channel expires at " + connection.channel.expires();
        }
        if (connection.closingAnnounced) {
            return "Genesys announced socket_closing";
        }
        return null;
    }

    /** Opens a new channel, then closes the old socket: no gap when the old one still works. */
    private void replace(String why) {
        Connection old = current;
        CompletableFuture<WebSocket> connecting = null;
        try {
            NotificationChannel channel = api.createChannel();
            api.subscribe(channel, topics);
            Connection opened = new Connection(channel);
            connecting = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(channel.connectUri(), opened);
            opened.socket = connecting.get(15, TimeUnit.SECONDS);
            synchronized (this) {
                if (!running) {
                    opened.socket.abort();
                    return;
                }
                current = opened;
            }
            failures = 0;
            LOG.info("Source {}: channel {} open with {} topics ({}), expires {}", source, shortId(channel), topics.size(),
                    why, channel.expires());
            metrics.connected(source); // after a drop, a failure or silence, that counts a reconnect
            metrics.durableUpTo(source, clock.instant());
            if (old != null) {
                old.close("replaced by channel " + shortId(channel));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon(connecting);
        } catch (Exception e) {
            abandon(connecting);
            failures++;
            long wait = e instanceof PullFailedException failed && failed.retryAfter().isPresent()
                    ? Math.max(failed.retryAfter().get().toMillis(), backoff.millis(failures)) : backoff.millis(failures);
            LOG.warn("Source {}: no new channel ({}): {}; next try in {} ms", source, why, e.getMessage(), wait);
            retryAt = clock.instant().plusMillis(wait);
            if (old == null || old.closed) {
                current = null;
                metrics.disconnected(source); // an expiring channel that still works keeps delivering meanwhile
            }
        }
    }

    /** A socket given up on while it connected is closed once it has. */
    private static void abandon(CompletableFuture<WebSocket> connecting) {
        if (connecting != null) {
            connecting.thenAccept(WebSocket::abort);
        }
    }

    /** The end of a channel's id, enough to follow it in the log. */
    private static String shortId(NotificationChannel channel) {
        String id = channel.id();
        return "..." + id.substring(Math.max(0, id.length() - 6));
    }

    /** One channel's socket and what it has received. */
    private final class Connection implements WebSocket.Listener {

        final NotificationChannel channel;
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;
        volatile Instant lastMessageAt = clock.instant();
        volatile boolean handling;
        volatile boolean closingAnnounced;
        volatile boolean closed;

        Connection(NotificationChannel channel) {
            this.channel = channel;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            lastMessageAt = clock.instant();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                String topic = messages.topicOf(text);
                if (SOCKET_CLOSING.equals(topic)) {
                    closingAnnounced = true;
                }
                handling = true;
                try {
                    messages.handle(text, topic);
                } finally {
                    lastMessageAt = clock.instant();
                    handling = false;
                }
                if (this == current) {
                    metrics.durableUpTo(source, clock.instant());
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed = true;
            if (running && this == current) {
                LOG.info("Source {}: Genesys closed the socket of channel {} ({} {})", source, shortId(channel),
                        statusCode, reason);
                metrics.disconnected(source);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
            if (running && this == current) {
                LOG.warn("Source {}: the socket of channel {} failed: {}", source, shortId(channel), error.toString());
                metrics.disconnected(source);
            }
        }

        /**
         * Sends the close, and goes on reading until Genesys answers it: what it sent before is
         * handled. A socket that does not answer within the grace is dropped.
         */
        void close(String why) {
            WebSocket open = socket;
            if (open == null || open.isOutputClosed()) {
                return;
            }
            LOG.debug("Source {}: closing the socket of channel {}: {}", source, shortId(channel), why);
            open.sendClose(WebSocket.NORMAL_CLOSURE, "");
            CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
                if (!open.isInputClosed()) {
                    LOG.warn("Source {}: channel {} did not answer its close within {} s; dropped", source,
                            shortId(channel), CLOSE_GRACE.toSeconds());
                    open.abort();
                }
            });
        }
    }
}
