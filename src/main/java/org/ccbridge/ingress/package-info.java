/**
 * Webhook ingress: per-source authentication over the raw bytes, size and content checks, and
 * parsing of each platform's payload into one {@link org.ccbridge.ingress.EventEnvelope}.
 */
package org.ccbridge.ingress;
