package org.ccbridge.notify;

/**
 * One notification as a provider gets it; {@code id} is the outbox id, sent as the provider's
 * idempotency key on every attempt.
 */
public record NotificationMessage(String id, String channel, String recipient, String template, String body,
                                  String customerId, String messageType, String businessReference, String client) {

    /** A message whose client does not matter to the caller: a provider shape, which never sees it. */
    public NotificationMessage(String id, String channel, String recipient, String template, String body,
                               String customerId, String messageType, String businessReference) {
        this(id, channel, recipient, template, body, customerId, messageType, businessReference, "");
    }
}
