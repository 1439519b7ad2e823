package org.ccbridge.broker;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BlockedListener;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;

import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Publishes persistent, mandatory messages on a few long-lived channels in confirm mode; each
 * publish gets a future that the broker's confirm completes.
 *
 * <p>Why not {@code RabbitTemplate}: its cached channels are proxies that hand every channel
 * back to the cache on another thread once its confirms arrive, which cost the ingress more CPU
 * than the publish itself. And the broker's cost per message falls as more messages share one
 * confirm batch: publishing from 64 threads, RabbitMQ took about 0.06 ms of CPU per message on
 * one or two channels and 0.09 ms on eight (bench/results.md).
 *
 * <p>Channels are opened on the connection Spring manages (addresses, credentials, TLS from
 * {@code spring.rabbitmq.*}) and reopened on the next publish after they close. A channel that
 * closes fails every publish still waiting on it; a connection the broker blocks (memory or disk
 * alarm) fails publishes at once instead of letting them hang.
 */
public class ConfirmingPublisher implements AutoCloseable {

    private final ConnectionFactory connections;
    private final Duration confirmTimeout;
    // closes retired channels; its own thread, as a close is a blocking broker call
    private final ScheduledExecutorService retirements = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ccbridge-publisher-retirements");
        thread.setDaemon(true);
        return thread;
    });
    private final ConfirmChannel[] slots;
    private final AtomicInteger next = new AtomicInteger();
    private Connection watchedConnection;
    private volatile String blockedReason;

    /**
     * @param connections Spring's connection factory; only its connection is used, not its channels
     * @param channels       how many channels publishes share
     * @param confirmTimeout the longest a caller waits for a confirm; a channel retired after a
     *                       failed publish is closed once that has passed
     */
    public ConfirmingPublisher(ConnectionFactory connections, int channels, Duration confirmTimeout) {
        if (channels < 1) {
            throw new IllegalArgumentException("publisher needs at least one channel, got " + channels);
        }
        this.connections = connections;
        this.confirmTimeout = confirmTimeout;
        this.slots = new ConfirmChannel[channels];
        for (int i = 0; i < channels; i++) {
            slots[i] = new ConfirmChannel();
        }
    }

    /** The longest a caller waits for a confirm. */
    public Duration confirmTimeout() {
        return confirmTimeout;
    }

    /**
     * Sends a message; the future completes when the broker confirmed it, and fails when the broker
     * nacked it, returned it as unroutable, or the channel closed first. Opening a channel waits
     * at most {@code spring.rabbitmq.channel-rpc-timeout}.
     *
     * @param wait how long to wait for the channel while other publishes hold it
     * @throws PublishFailedException when the message could not be sent at all
     */
    public CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
                                           byte[] body, Duration wait) {
        ConfirmChannel slot = slots[Math.floorMod(next.getAndIncrement(), slots.length)];
        return slot.publish(exchange, routingKey, properties, body, wait);
    }

    /** Publishes not yet confirmed, over every channel. */
    public int pending() {
        int count = 0;
        for (ConfirmChannel slot : slots) {
            count += slot.pending();
        }
        return count;
    }

    @Override
    public void close() {
        retirements.shutdownNow();
        for (ConfirmChannel slot : slots) {
            slot.close();
        }
    }

    /**
     * The connection Spring currently holds, watched for the broker blocking publishers. Spring
     * replaces a connection that closed; the new one starts unblocked.
     */
    private synchronized Connection watchedConnection() {
        org.springframework.amqp.rabbit.connection.Connection shared = connections.createConnection();
        if (!shared.isOpen()) {
            // Spring replaces a dead connection only on its own channel path; ours asks for it
            connections.resetConnection();
            shared = connections.createConnection();
        }
        Connection connection = shared.getDelegate();
        if (connection != watchedConnection) {
            blockedReason = null;
            connection.addBlockedListener(new BlockedListener() {
                @Override
                public void handleBlocked(String reason) {
                    blockedReason = reason;
                    // RabbitMQ blocks a connection when it next publishes, and tells it then: the
                    // publishes already waiting would wait out the confirm timeout for a confirm
                    // that comes only when the alarm clears. They fail now; a message the broker
                    // still routes after the alarm is the at-least-once copy a confirm timeout
                    // would leave too.
                    PublishFailedException blocked = new PublishFailedException(
                            "broker is blocking publishers: " + reason, null);
                    for (ConfirmChannel slot : slots) {
                        slot.failPending(blocked);
                    }
                }

                @Override
                public void handleUnblocked() {
                    blockedReason = null;
                }
            });
            watchedConnection = connection;
        }
        return connection;
    }

    /**
     * One publishing slot: its lock, its current channel and that channel's unconfirmed publishes.
     * Each channel gets a {@link PendingConfirms} of its own, captured by its listeners: a reopened
     * channel counts sequence numbers from 1 again, and must not confirm or fail the publishes of
     * the channel it replaced.
     */
    private final class ConfirmChannel {

        private final ReentrantLock lock = new ReentrantLock();
        private volatile PendingConfirms pending = new PendingConfirms();
        private volatile Channel channel;

        CompletableFuture<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
                                        byte[] body, Duration wait) {
            acquire(wait);
            try {
                Channel open = openChannel();
                if (blockedReason != null) {
                    throw new PublishFailedException("broker is blocking publishers: " + blockedReason, null);
                }
                PendingConfirms confirms = pending;
                CompletableFuture<Void> confirmed = confirms.add(open.getNextPublishSeqNo(), properties.getMessageId());
                try {
                    open.basicPublish(exchange, routingKey, true, properties, body);
                } catch (IOException | RuntimeException e) {
                    retire(open, confirms);
                    PublishFailedException failure = new PublishFailedException("publish failed: " + e.getMessage(), e);
                    confirmed.completeExceptionally(failure);
                    throw failure;
                }
                return confirmed;
            } finally {
                lock.unlock();
            }
        }

        int pending() {
            return pending.size();
        }

        /** Fails what this channel waits for; the channel stays open, its later confirms find nothing. */
        void failPending(PublishFailedException failure) {
            pending.failAll(failure);
        }

        /**
         * Takes a channel out of use after a publish on it failed. The client counts a sequence
         * number before it encodes the message, so a message that cannot be encoded (a property
         * over 255 bytes) was counted but never sent: from then on every confirm on this channel
         * would complete the publish after the one it is for. The publishes sent before the failure
         * are numbered right and keep the channel's listeners, so the channel stays open until
         * their confirms can no longer matter; the next publish opens a new channel, which counts
         * from 1 again. Called with the lock held.
         */
        private void retire(Channel failed, PendingConfirms confirms) {
            channel = null;
            pending = new PendingConfirms();
            retirements.schedule(() -> {
                closeQuietly(failed);
                confirms.failAll(new PublishFailedException("channel retired before the confirm", null));
            }, confirmTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void acquire(Duration wait) {
            try {
                if (!lock.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                    throw new PublishFailedException("no publishing channel free within " + wait.toMillis() + " ms",
                            null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PublishFailedException("interrupted while waiting for a publishing channel", e);
            }
        }

        /** Called with the lock held. */
        private Channel openChannel() {
            Channel current = channel;
            if (current != null && current.isOpen()) {
                return current;
            }
            try {
                // whatever the old channel still waits for will never be confirmed now
                pending.failAll(new PublishFailedException("channel closed before the confirm", null));
                Channel opened = watchedConnection().createChannel();
                if (opened == null) {
                    throw new PublishFailedException("broker has no channel left on this connection", null);
                }
                opened.confirmSelect();
                PendingConfirms confirms = new PendingConfirms();
                opened.addConfirmListener((tag, multiple) -> confirms.confirm(tag, multiple),
                        (tag, multiple) -> confirms.nack(tag, multiple));
                opened.addReturnListener(returned -> confirms.markReturned(returned.getProperties().getMessageId(),
                        returned.getReplyText()));
                opened.addShutdownListener(cause -> confirms.failAll(
                        new PublishFailedException("channel closed before the confirm: " + cause.getMessage(), cause)));
                pending = confirms;
                channel = opened;
                return opened;
            } catch (PublishFailedException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                // AMQP exceptions, a connection already closed, an RPC past its timeout
                throw new PublishFailedException("broker unreachable: " + e.getMessage(), e);
            }
        }

        void close() {
            closeQuietly(channel);
        }

        private static void closeQuietly(Channel current) {
            if (current != null && current.isOpen()) {
                try {
                    current.close();
                } catch (Exception e) {
                    // closing anyway; the shutdown listener fails what is still pending
                }
            }
        }
    }
}
