package org.ccbridge.ingress;

/**
 * Interaction channel; decides the queue an event lands in. CRM is the lane of changes made in the
 * CRM: every event of a source listed in {@code ccbridge.sync.crm-sources} goes there.
 */
public enum Channel {
    VOICE, DIGITAL, CRM;

    public String routingWord() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
