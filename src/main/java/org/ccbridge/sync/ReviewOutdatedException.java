package org.ccbridge.sync;

/**
 * A decision to take one side of a review item whose record has changed since the item was
 * parked: the sides are out of date. A merged decision, which states every field, still applies.
 */
public class ReviewOutdatedException extends RuntimeException {

    public ReviewOutdatedException(long id, long seen, long current) {
        super("review " + id + " saw version " + seen + " but the record is at version " + current
                + " now; decide with take=merged and the fields to apply");
    }
}
