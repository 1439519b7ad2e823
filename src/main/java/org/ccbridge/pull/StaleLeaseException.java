package org.ccbridge.pull;

/**
 * A pulled source's cursor was written under a newer lease than the writer's: another instance
 * has taken the source over, and this one's page is left to it (its events are deduplicated when
 * it reads them again).
 */
public class StaleLeaseException extends RuntimeException {

    public StaleLeaseException(String source, long fencingToken) {
        super("the cursor of source " + source + " was written under a newer lease than fencing token "
                + fencingToken);
    }
}
