package org.ccbridge.pull;

import java.net.URI;
import java.time.Instant;

/**
 * A Genesys Cloud notification channel: its id, the WebSocket to read it from, and when it
 * expires unless subscribed again (24 h after it was created).
 */
public record NotificationChannel(String id, URI connectUri, Instant expires) {
}
