package org.ccbridge.sync;

/** The two sides of a bidirectional sync. */
public enum SyncSystem {
    CONTACT_CENTER,
    CRM;

    public SyncSystem other() {
        return this == CRM ? CONTACT_CENTER : CRM;
    }
}
