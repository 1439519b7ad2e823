package org.ccbridge.broker;

/**
 * One reading of a queue.
 *
 * @param depth   messages in the queue, ready and unacknowledged
 * @param inRate  messages published into it per second, as the broker measures it; null where
 *                the broker does not say (the embedded broker, or no management API configured)
 * @param outRate messages acknowledged out of it per second; null likewise
 */
public record QueueStats(long depth, Double inRate, Double outRate) {

    static QueueStats depthOnly(long depth) {
        return new QueueStats(depth, null, null);
    }
}
