package org.ccbridge.ingress;

import java.util.Locale;

/**
 * How a delivery ended; the {@code outcome} tag of {@code ccbridge_ingress_events_total}.
 */
public enum IngressOutcome {
    ACCEPTED, DUPLICATE, IN_FLIGHT, PAYLOAD_MISMATCH, UNAUTHORIZED, INVALID, UNAVAILABLE, UNKNOWN_SOURCE, ERROR;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
