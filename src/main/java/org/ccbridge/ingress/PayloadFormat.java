package org.ccbridge.ingress;

/**
 * The shape of a source's event payloads.
 */
public enum PayloadFormat {
    /** Genesys Cloud webhooks ({messageId, eventType}, {id, type, createdTime}) and notification envelopes. */
    GENESYS,
    /** NICE CXone {event: {id, type, ...}}. */
    NICE_CXONE,
    /** Standard Webhooks {type, timestamp, data}; the event id is the webhook-id header. */
    STANDARD_WEBHOOKS
}
