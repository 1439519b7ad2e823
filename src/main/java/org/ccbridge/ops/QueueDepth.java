package org.ccbridge.ops;

/** Messages and consumers of one queue, as the broker reports them. */
public record QueueDepth(String name, long messages, long consumers) {
}
