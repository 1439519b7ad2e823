package org.ccbridge.ingress;

/**
 * A configured source, ready to authenticate and parse its deliveries.
 */
public record WebhookSource(String name, WebhookSourceProperties settings, WebhookAuthenticator authenticator,
                            EnvelopeParser parser) {
}
