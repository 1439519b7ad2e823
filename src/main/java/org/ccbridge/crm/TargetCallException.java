package org.ccbridge.crm;

/** A target call that did not succeed; the subclass says what the retry policy does with it. */
public abstract class TargetCallException extends RuntimeException {

    private final int status;

    protected TargetCallException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status, or 0 when there was no answer. */
    public int status() {
        return status;
    }
}
