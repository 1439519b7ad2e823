package org.ccbridge.notify;

/**
 * The answer to an accepted notification request.
 *
 * @param id       the notification id, also the provider's idempotency key
 * @param replayed whether this is the answer to an earlier request with the same key
 */
public record AcceptedNotification(String id, boolean replayed) {
}
