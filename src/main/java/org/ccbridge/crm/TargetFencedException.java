package org.ccbridge.crm;

/**
 * A 412 from a REST target that checks the fencing token: it has seen a write of the record made
 * under a newer lock, so this write was decided on what is now an old state. The change is
 * decided again from the start (under a new lock, against the newer state), not dead-lettered.
 * Says nothing about the target's health.
 */
public class TargetFencedException extends TargetCallException {

    public TargetFencedException(String message) {
        super(message, 412, null);
    }
}
