package org.ccbridge.coordination;

import java.time.Duration;

/** Another owner held the lock for all of the time the caller was willing to wait. */
public class LockNotAcquiredException extends RuntimeException {

    public LockNotAcquiredException(String resource, Duration wait) {
        super("lock " + resource + " still held by another owner after " + wait.toMillis() + " ms");
    }
}
