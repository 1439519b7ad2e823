package org.ccbridge.coordination;

/**
 * The lease of a lock ran out or was taken over while its work ran: writes made under it may
 * have been rejected by fencing, and must not be taken as done.
 */
public class LockLostException extends RuntimeException {

    public LockLostException(String message) {
        super(message);
    }
}
