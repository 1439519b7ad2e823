package org.ccbridge.coordination;

import java.time.Duration;

/**
 * Port for Idempotency-Key records of the mutation gateway: a key is claimed for a lease while its
 * request runs, then completed with the target's response, which later requests with the same key
 * and payload get replayed. Every operation throws {@link CoordinationStoreUnavailableException}
 * when the store cannot answer.
 */
public interface IdempotencyStore {

    /** Claims {@code key} for {@code lease}, or tells what holds it. */
    IdempotencyClaim claim(String key, String requestHash, Duration lease);

    /** Stores the response for {@code ttl}; false when {@code token} no longer holds the claim. */
    boolean complete(String key, String token, StoredResponse response, Duration ttl);

    /** Gives the claim up, so that a retry goes through; false when {@code token} no longer holds it. */
    boolean release(String key, String token);
}
