package org.ccbridge.crm;

/**
 * The target's circuit is open: the change is not attempted and goes back to its queue, where it
 * waits (visible to operators) while the consumer is paused.
 */
public class CircuitOpenException extends RuntimeException {

    public CircuitOpenException(String target) {
        super("circuit of target " + target + " is open");
    }
}
