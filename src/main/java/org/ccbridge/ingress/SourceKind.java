package org.ccbridge.ingress;

/** How a source's events reach ccbridge. */
public enum SourceKind {
    /** Signed deliveries to {@code POST /webhooks/<source>}. */
    WEBHOOK,
    /**
     * Events a route of your own fetches (a poll, usually in a {@code master:} route) and hands to
     * {@code direct:pulled-event} with the header {@code CcbridgeSource}; no webhook is taken for it.
     */
    ROUTE,
    /**
     * NICE CXone's Real-Time Data states, polled with {@code updatedSince} by the route
     * {@code cxone-poll-<source>} ({@code routes/cxone-poll.camel.yaml}).
     */
    CXONE_POLL,
    /**
     * A Genesys Cloud notification channel: topics subscribed, events read from its WebSocket by the
     * route {@code genesys-notifications-<source>} ({@code routes/genesys-notifications.camel.yaml}).
     */
    GENESYS_NOTIFICATIONS;

    /** Whether ccbridge fetches this kind's events itself, with a route created from a template. */
    public boolean pulledByCcbridge() {
        return this == CXONE_POLL || this == GENESYS_NOTIFICATIONS;
    }
}
