package org.ccbridge.dedup;

/**
 * What the dedup store answered when an event id was claimed.
 */
public enum ClaimState {
    /** The caller owns the claim and must confirm or release it. */
    CLAIMED,
    /** The event was already accepted; its claim is confirmed. */
    DONE,
    /** Another delivery holds the claim and has not finished yet. */
    IN_FLIGHT,
    /** The id is known with another payload: a replay or a sender bug, never a retry. */
    PAYLOAD_MISMATCH
}
