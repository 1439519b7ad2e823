package org.ccbridge.crm;

/**
 * A 4xx the target will give again for the same request (validation, unknown field, access):
 * the change goes to the dead-letter queue at once, with the target's error.
 */
public class TargetRejectedException extends TargetCallException {

    public TargetRejectedException(String message, int status) {
        super(message, status, null);
    }
}
