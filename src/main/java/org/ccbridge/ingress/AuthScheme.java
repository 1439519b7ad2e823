package org.ccbridge.ingress;

/**
 * How a source proves that a delivery comes from it.
 */
public enum AuthScheme {
    /** Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature headers, whsec_ secrets. */
    STANDARD_WEBHOOKS,
    /** HMAC-SHA256 of the raw body in a configurable header, hex or base64, optional prefix. */
    HMAC_SHA256,
    /** A shared secret in a configurable header, for senders that cannot sign (Genesys data actions). */
    SHARED_SECRET
}
