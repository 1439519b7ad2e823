package org.ccbridge.dedup;

/**
 * The answer to a claim: its state and, when {@link ClaimState#CLAIMED}, the token that proves
 * ownership to {@link DedupStore#confirm} and {@link DedupStore#release}.
 */
public record Claim(ClaimState state, String token) {

    public static Claim claimed(String token) {
        return new Claim(ClaimState.CLAIMED, token);
    }

    public static Claim existing(ClaimState state) {
        return new Claim(state, null);
    }

    public boolean isClaimed() {
        return state == ClaimState.CLAIMED;
    }
}
