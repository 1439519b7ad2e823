package org.ccbridge.ingress;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * One webhook sender, configured under {@code ccbridge.sources.<name>}. Secrets belong in
 * environment variables; configuration files reference them as {@code ${ENV_VAR}}.
 *
 * @param format          payload shape
 * @param scheme          authentication scheme
 * @param secret          current secret ({@code whsec_...} for Standard Webhooks)
 * @param previousSecret  the secret being rotated out; deliveries signed with it still verify
 * @param tolerance       how far a signed timestamp may be from now, either way
 * @param maxBodySize     larger bodies are refused with 413
 * @param signatureHeader header carrying the HMAC or the shared secret
 * @param signaturePrefix text before the HMAC value, e.g. {@code sha256=}
 * @param encoding        HMAC encoding
 * @param timestampHeader optional header with a unix timestamp, checked against the tolerance
 * @param defaultChannel  channel when the payload does not say; CRM sends every event to the CRM lane
 * @param nonCriticalTypes event types that are not state-critical (exact, or with {@code *} for any
 *                        characters): they go to the non-critical lane, shed under load; every
 *                        other type is critical
 * @param kind            how the events arrive: signed webhooks (the default); from a route of your
 *                        own; or fetched by ccbridge itself ({@code cxone-poll},
 *                        {@code genesys-notifications}). Only webhooks need a scheme and a secret.
 * @param pull            how ccbridge fetches the events of a {@code cxone-poll} or
 *                        {@code genesys-notifications} source
 */
public record WebhookSourceProperties(
        PayloadFormat format,
        AuthScheme scheme,
        String secret,
        String previousSecret,
        @DefaultValue("5m") Duration tolerance,
        @DefaultValue("256KB") DataSize maxBodySize,
        String signatureHeader,
        @DefaultValue("") String signaturePrefix,
        @DefaultValue("HEX") SignatureEncoding encoding,
        String timestampHeader,
        @DefaultValue("VOICE") Channel defaultChannel,
        @DefaultValue List<String> nonCriticalTypes,
        @DefaultValue("WEBHOOK") SourceKind kind,
        @DefaultValue PullSettings pull) {

    /** The same source, its events all in the CRM lane. */
    WebhookSourceProperties inCrmLane() {
        return new WebhookSourceProperties(format, scheme, secret, previousSecret, tolerance, maxBodySize,
                signatureHeader, signaturePrefix, encoding, timestampHeader, Channel.CRM, nonCriticalTypes, kind,
                pull);
    }
}
