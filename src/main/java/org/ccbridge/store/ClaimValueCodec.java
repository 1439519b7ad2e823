package org.ccbridge.store;

import org.ccbridge.dedup.StoredClaim;

/**
 * The string form of a claim in a key-value store: {@code I|token|hash} in flight,
 * {@code D|token|hash} done. Tokens are UUIDs and hashes hex, so the separator is unambiguous.
 */
final class ClaimValueCodec {

    private ClaimValueCodec() {
    }

    static String inFlight(String token, String payloadHash) {
        return "I|" + token + "|" + payloadHash;
    }

    /** What an in-flight value held by {@code token} starts with. */
    static String inFlightPrefix(String token) {
        return "I|" + token + "|";
    }

    static StoredClaim decode(String value) {
        String[] parts = value.split("\\|", 3);
        if (parts.length != 3) {
            throw new IllegalStateException("Unreadable claim value");
        }
        return new StoredClaim("D".equals(parts[0]), parts[1], parts[2]);
    }
}
