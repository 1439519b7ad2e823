package org.ccbridge.normalize;

/** How a mapped field's value is normalized and compared. */
public enum FieldType {
    /** Any text, kept as sent. */
    TEXT,
    /** A phone number; canonical form E.164. */
    PHONE,
    /** An email address; canonical form trimmed and lower-cased. */
    EMAIL,
    /** A point in time; canonical form an ISO-8601 instant in UTC. */
    TIMESTAMP,
    /** A whole number. */
    INTEGER,
    /** true or false. */
    BOOLEAN
}
