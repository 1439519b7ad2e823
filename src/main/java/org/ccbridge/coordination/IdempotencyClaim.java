package org.ccbridge.coordination;

/**
 * What a claim of an Idempotency-Key found.
 *
 * @param state    the outcome
 * @param token    the claim token, when {@link State#CLAIMED}
 * @param response the stored response, when {@link State#COMPLETED}
 */
public record IdempotencyClaim(State state, String token, StoredResponse response) {

    public enum State {
        /** This request holds the key now and must complete or release it. */
        CLAIMED,
        /** Another request with this key and payload is running. */
        IN_FLIGHT,
        /** This key was used with another payload. */
        MISMATCH,
        /** A request with this key and payload completed: replay its response. */
        COMPLETED
    }

    public static IdempotencyClaim claimed(String token) {
        return new IdempotencyClaim(State.CLAIMED, token, null);
    }

    public static IdempotencyClaim of(State state) {
        return new IdempotencyClaim(state, null, null);
    }

    public static IdempotencyClaim completed(StoredResponse response) {
        return new IdempotencyClaim(State.COMPLETED, null, response);
    }
}
