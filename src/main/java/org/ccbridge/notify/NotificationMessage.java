package org.ccbridge.notify;

/**
 * One notification as a provider gets it; {@code id} is the outbox id, sent as the provider's
 * idempotency key on every attempt.
 */
public record NotificationMessage(String id, String channel, String recipient, String template, String body,
                                  String customerId, String messageType, String businessReference) {
}
