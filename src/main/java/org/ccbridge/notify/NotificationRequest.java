package org.ccbridge.notify;

/**
 * What a flow or route asks to send.
 *
 * @param channel           sms, email or voice
 * @param recipient         a phone number (sms, voice) or an email address
 * @param template          a provider template name; this or {@code body}
 * @param body              the message text
 * @param customerId        whose notification it is: the dedup window is per customer and type
 * @param messageType       e.g. appointment-reminder
 * @param businessReference the caller's reference, e.g. a case number
 */
public record NotificationRequest(String channel, String recipient, String template, String body, String customerId,
                                  String messageType, String businessReference) {
}
