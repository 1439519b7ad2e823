package org.ccbridge.ingress;

import java.time.Instant;

/**
 * One accepted event, whatever platform sent it.
 *
 * @param source      configured source name
 * @param eventId     the platform's immutable event id: the dedup key within the source
 * @param type        platform event type
 * @param channel     voice or digital
 * @param recordKey   the business record the event is about, when the payload names one
 * @param occurredAt  when the platform says it happened, in UTC
 * @param payloadHash SHA-256 (hex) of the raw body, to tell a retry from a reused id
 * @param body        the raw body, published unchanged
 */
public record EventEnvelope(String source, String eventId, String type, Channel channel, String recordKey,
                            Instant occurredAt, String payloadHash, byte[] body) {

    /** Topic routing key {@code {source}.{channel}.{type}}; the queues bind on the channel word. */
    public String routingKey() {
        return source + "." + channel.routingWord() + "." + type;
    }

    /** Key of the claim in the dedup store: event ids are unique per platform, not across them. */
    public String dedupKey() {
        return source + ":" + eventId;
    }
}
