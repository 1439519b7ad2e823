package org.ccbridge.dedup;

import java.time.Duration;

/**
 * Port for the claim-confirm-release protocol that makes event acceptance exactly-once.
 *
 * <p>A claim is held for a lease; when the holder crashes, the lease expires and a retry of the
 * sender can claim again, so nothing is lost for good. Confirm and release compare the claim
 * token, so a holder whose lease expired cannot touch the claim of the delivery that took over.
 * Every operation throws {@link DedupStoreUnavailableException} when the store cannot answer
 * within its budget; callers answer 503 then, never 2xx.
 */
public interface DedupStore {

    /** Claims {@code key} for {@code lease}, or reports why it cannot. */
    Claim claim(String key, String payloadHash, Duration lease);

    /** Marks the claim as done for {@code ttl}; false when the token no longer holds it. */
    boolean confirm(String key, String token, Duration ttl);

    /** Gives the claim up so that a retry can take it; false when the token no longer holds it. */
    boolean release(String key, String token);

    /** The state of {@code key} as seen now, or null when the store does not know it. */
    ClaimState lookup(String key, String payloadHash);

    /** Throws {@link DedupStoreUnavailableException} when the store cannot be reached. */
    void ping();
}
