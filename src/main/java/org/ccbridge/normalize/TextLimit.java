package org.ccbridge.normalize;

/**
 * How long each kind of text a caller hands ccbridge may be, in one place. Each is checked where
 * the value enters, before a store or the broker sees it, so that a value too long for its column
 * is a 400 (or a dead letter) naming the field rather than a database error taken for an outage.
 * A refusal names the field and the limit, never the value.
 */
public enum TextLimit {

    /** A record's key at the CRM or the contact center: the sync state's key, part of its lock. */
    RECORD_KEY(255),
    /** A notification's customer id: its dedup window is per customer and message type. */
    CUSTOMER_ID(255),
    MESSAGE_TYPE(100),
    TEMPLATE(200),
    BUSINESS_REFERENCE(255),
    /** An email address (RFC 5321 allows 254) or a phone number as a caller wrote it. */
    RECIPIENT(320),
    IDEMPOTENCY_KEY(255);

    private final int maxLength;

    TextLimit(int maxLength) {
        this.maxLength = maxLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /**
     * Why {@code value} cannot be taken as {@code field}, or null when it can: longer than the
     * limit, or holding a control character (which would forge log lines and headers).
     */
    public String problem(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return field + " is longer than " + maxLength + " characters";
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return field + " contains control characters";
        }
        return null;
    }
}
