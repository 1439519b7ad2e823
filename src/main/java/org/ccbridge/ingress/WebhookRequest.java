package org.ccbridge.ingress;

import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * What an authenticator sees of a delivery: header lookup, the raw body bytes, and now.
 */
public record WebhookRequest(UnaryOperator<String> headers, byte[] body, Instant receivedAt) {

    public String header(String name) {
        return headers.apply(name);
    }
}
