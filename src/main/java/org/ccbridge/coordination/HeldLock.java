package org.ccbridge.coordination;

/** A lock held for a piece of work; its lease is renewed in the background while the work runs. */
public interface HeldLock {

    /** The fencing token to hand to every storage write made under this lock. */
    long fencingToken();

    /** False once a renewal found the lock taken over or its lease run out. */
    boolean isHeld();

    /** Throws {@link LockLostException} when the lock is no longer held. */
    default void assertHeld() {
        if (!isHeld()) {
            throw new LockLostException("lock lost while its work ran (fencing token " + fencingToken() + ")");
        }
    }
}
