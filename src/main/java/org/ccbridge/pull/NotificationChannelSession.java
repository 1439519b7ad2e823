package org.ccbridge.pull;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
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
 * socket that closes, fails, or stays silent longer than the silence timeout (Genesys sends a
 * heartbeat every 30 s) is given up, and a new channel is opened, with a jittered backoff while
 * that fails. Genesys does not replay what it sent while no socket was open.
 */
class NotificationChannelSession {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationChannelSession.class);
    private static final Duration WATCH_EVERY = Duration.ofMillis(250);
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
    private volatile Instant renewNow;
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

    synchronized void stop() {
        running = false;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        Connection connection = current;
        current = null;
        if (connection != null) {
            connection.close("the source stopped");
        }
        metrics.disconnected(source);
    }

    /**
     * Runs on the scheduler: opens a channel when there is none, gives up a closed or silent socket,
     * renews an expiring channel; not before the backoff of a failed try has passed.
     */
    private void watch() {
        Instant now = clock.instant();
        if (!running || now.isBefore(retryAt)) {
            return;
        }
        Connection connection = current;
        String why;
        if (connection == null) {
            why = "no channel open";
        } else if (connection.closed) {
            why = "the socket closed";
        } else if (now.isAfter(connection.lastMessageAt.plus(silenceTimeout))) {
            why = "no message for " + silenceTimeout.toSeconds() + " s";
            metrics.disconnected(source);
        } else if (now.isAfter(connection.channel.expires().minus(renewBefore))) {
            why = "the channel expires at " + connection.channel.expires();
        } else if (renewNow != null) {
            why = "Genesys announced socket_closing";
        } else {
            return;
        }
        renewNow = null;
        replace(why);
    }

    /** Opens a new channel, then closes the old socket: no gap when the old one still works. */
    private void replace(String why) {
        if (!running) {
            return;
        }
        Connection old = current;
        try {
            NotificationChannel channel = api.createChannel();
            api.subscribe(channel, topics);
            Connection opened = new Connection(channel);
            WebSocket socket = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(channel.connectUri(), opened).get(15, TimeUnit.SECONDS);
            opened.socket = socket;
            current = opened;
            failures = 0;
            LOG.info("Source {}: channel {} open with {} topics ({}), expires {}", source, channel.id(), topics.size(),
                    why, channel.expires());
            metrics.connected(source); // after a drop, a failure or silence, that counts a reconnect
            metrics.durableUpTo(source, clock.instant());
            if (old != null) {
                old.close("replaced by channel " + channel.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
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

    /** One channel's socket and what it has received. */
    private final class Connection implements WebSocket.Listener {

        final NotificationChannel channel;
        final StringBuilder partial = new StringBuilder();
        volatile WebSocket socket;
        volatile Instant lastMessageAt = clock.instant();
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
                if (SOCKET_CLOSING.equals(topic) && this == current) {
                    renewNow = clock.instant();
                }
                messages.handle(text, topic);
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
                LOG.info("Source {}: Genesys closed the socket of channel {} ({} {})", source, channel.id(), statusCode,
                        reason);
                metrics.disconnected(source);
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed = true;
            if (running && this == current) {
                LOG.warn("Source {}: the socket of channel {} failed: {}", source, channel.id(), error.toString());
                metrics.disconnected(source);
            }
        }

        void close(String why) {
            closed = true;
            WebSocket open = socket;
            if (open != null && !open.isOutputClosed()) {
                LOG.debug("Source {}: closing the socket of channel {}: {}", source, channel.id(), why);
                open.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS)
                        .whenComplete((ignored, error) -> open.abort());
            }
        }
    }
}
