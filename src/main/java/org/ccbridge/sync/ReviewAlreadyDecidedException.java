package org.ccbridge.sync;

/** A decision on a review item that is no longer open. */
public class ReviewAlreadyDecidedException extends RuntimeException {

    public ReviewAlreadyDecidedException(long id) {
        super("review " + id + " is already decided");
    }
}
