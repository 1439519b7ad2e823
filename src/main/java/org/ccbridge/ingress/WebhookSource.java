package org.ccbridge.ingress;

/**
 * A configured source, ready to authenticate and parse its deliveries and to say which lane each
 * event type takes.
 */
public record WebhookSource(String name, WebhookSourceProperties settings, WebhookAuthenticator authenticator,
                            EnvelopeParser parser, EventCriticality criticality) {

    /** Whether events of this type are state-critical here: every type is, unless the source names it non-critical. */
    public boolean critical(String type) {
        return criticality == null || type == null || criticality.critical(type);
    }
}
