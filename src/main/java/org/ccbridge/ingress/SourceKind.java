package org.ccbridge.ingress;

/** How a source's events reach ccbridge. */
public enum SourceKind {
    /** Signed deliveries to {@code POST /webhooks/<source>}. */
    WEBHOOK,
    /**
     * Events a route of your own fetches (a poll, usually in a {@code master:} route) and hands to
     * {@code direct:pulled-event} with the header {@code CcbridgeSource}; no webhook is taken for it.
     */
    ROUTE
}
