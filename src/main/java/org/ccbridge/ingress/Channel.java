package org.ccbridge.ingress;

/**
 * Interaction channel; decides the queue an event lands in.
 */
public enum Channel {
    VOICE, DIGITAL;

    public String routingWord() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
