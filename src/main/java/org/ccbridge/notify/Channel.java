package org.ccbridge.notify;

import java.util.Locale;

/** How a notification reaches the customer. */
public enum Channel {
    SMS,
    EMAIL,
    VOICE;

    static Channel parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidNotificationException("channel must be sms, email or voice");
        }
    }
}
