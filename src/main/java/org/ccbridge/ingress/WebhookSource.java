package org.ccbridge.ingress;

/**
 * A configured source, ready to authenticate and parse its deliveries and to say which lane each
 * event type takes.
 */
public record WebhookSource(String name, WebhookSourceProperties settings, WebhookAuthenticator authenticator,
                            EnvelopeParser parser, EventCriticality criticality) {
}
