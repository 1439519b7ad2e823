package org.ccbridge.notify;

import java.util.List;

/**
 * A notification as the APIs show it: where it stands and every provider call the ledger holds.
 * The recipient and the message are left out; callers have them, and logs and admin screens need
 * not.
 *
 * @param status       PENDING, SENT, SUPPRESSED or FAILED
 * @param suppressedBy for SUPPRESSED, the notification sent inside the dedup window
 * @param attempts     sends so far
 * @param lastError    why the last send failed (a provider's status, never its body)
 * @param deliveries   the ledger: provider calls and their outcomes, oldest first
 */
public record NotificationView(String id, String client, String channel, String customerId, String messageType,
                               String businessReference, String status, String suppressedBy, long createdAt,
                               int attempts, String lastError, List<NotificationLedger.Entry> deliveries) {
}
