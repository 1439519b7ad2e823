package org.ccbridge.dedup;

/**
 * A claim as a store keeps it, and the rule that turns an existing claim into an answer; shared
 * by every adapter so that they cannot disagree.
 */
public record StoredClaim(boolean done, String token, String payloadHash) {

    /** How a second delivery of the same key is answered. */
    public ClaimState answerFor(String incomingPayloadHash) {
        if (!payloadHash.equals(incomingPayloadHash)) {
            return ClaimState.PAYLOAD_MISMATCH;
        }
        return done ? ClaimState.DONE : ClaimState.IN_FLIGHT;
    }
}
