package org.ccbridge.notify;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The platform event a notification is sent for, as its caller names it in
 * {@code Ccbridge-Event: {source}/{eventId}}: the notification then joins that event's fate.
 */
record CausingEvent(String source, String eventId) {

    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    /** As long as the ingress takes an event id. */
    private static final int MAX_ID_BYTES = 190;

    /** The event named, null when none is; an invalid name is the caller's error (400). */
    static CausingEvent parse(String header) {
        if (header == null) {
            return null;
        }
        int slash = header.indexOf('/');
        String source = slash < 0 ? "" : header.substring(0, slash);
        String eventId = slash < 0 ? "" : header.substring(slash + 1);
        if (!SOURCE.matcher(source).matches() || eventId.isEmpty()
                || eventId.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES
                || eventId.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidNotificationException(NotificationController.CAUSING_EVENT_HEADER
                    + " must be {source}/{eventId}: a source name and an event id of at most " + MAX_ID_BYTES
                    + " bytes");
        }
        return new CausingEvent(source, eventId);
    }
}
