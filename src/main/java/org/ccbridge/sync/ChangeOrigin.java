package org.ccbridge.sync;

import java.util.Locale;

/**
 * What kind of edit produced a change; the configured source hierarchy ranks them when two edits
 * of one version are too close in time to order.
 */
public enum ChangeOrigin {
    /** Captured by an agent during an interaction. */
    AGENT_INPUT,
    /** A user or process edited the CRM record. */
    CRM_UPDATE,
    /** Written by a system, not a person: audit fields, enrichment, imports. */
    SYSTEM_METADATA,
    /** An operator's decision on a review item; applied to both systems. */
    REVIEW_DECISION;

    /** Reads {@code agent}, {@code crm}, {@code system} or an enum name. */
    public static ChangeOrigin parse(String text) {
        String value = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        return switch (value) {
            case "AGENT" -> AGENT_INPUT;
            case "CRM" -> CRM_UPDATE;
            case "SYSTEM" -> SYSTEM_METADATA;
            default -> valueOf(value);
        };
    }
}
