package org.ccbridge.notify;

/**
 * One notification as a provider gets it; {@code id} is the outbox id, sent as the provider's
 * idempotency key on every attempt. {@code traceParent} is the trace it was asked for in (a W3C
 * traceparent, or null), which the send continues.
 */
public record NotificationMessage(String id, String channel, String recipient, String template, String body,
                                  String customerId, String messageType, String businessReference, String client,
                                  String traceParent) {

    /** A message whose client does not matter to the caller: a provider shape, which never sees it. */
    public NotificationMessage(String id, String channel, String recipient, String template, String body,
                               String customerId, String messageType, String businessReference) {
        this(id, channel, recipient, template, body, customerId, messageType, businessReference, "", null);
    }

    /** A message asked for outside any trace. */
    public NotificationMessage(String id, String channel, String recipient, String template, String body,
                               String customerId, String messageType, String businessReference, String client) {
        this(id, channel, recipient, template, body, customerId, messageType, businessReference, client, null);
    }
}
