package org.ccbridge.broker;

/**
 * Where a queue's depth stands against its thresholds. A level is left only under
 * {@code resume}, so that a depth moving around one threshold does not flap.
 */
public enum BacklogLevel {

    NORMAL, WARN, SHED;

    /** The level after a reading of {@code depth}. */
    BacklogLevel next(long depth, BacklogProperties.Thresholds thresholds) {
        if (depth >= thresholds.shed()) {
            return SHED;
        }
        if (depth < thresholds.resume()) {
            return NORMAL;
        }
        // between resume and shed: up to warn from normal, otherwise stay
        return this == NORMAL && depth >= thresholds.warn() ? WARN : this;
    }
}
