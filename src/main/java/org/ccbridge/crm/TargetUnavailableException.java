package org.ccbridge.crm;

/** 5xx, 408, a timeout or no connection: retried with exponential backoff and jitter. */
public class TargetUnavailableException extends TargetCallException {

    public TargetUnavailableException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
