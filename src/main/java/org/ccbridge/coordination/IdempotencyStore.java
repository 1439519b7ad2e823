package org.ccbridge.coordination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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

    /** One key of {@link #claimAll}. */
    record ClaimRequest(String key, String requestHash) {
    }

    /** One key of {@link #completeAll}: the claim's token and the response to keep. */
    record Completion(String key, String token, StoredResponse response) {
    }

    /** {@link #claim} for several keys, in order; a store that can answers them in one round trip. */
    default List<IdempotencyClaim> claimAll(List<ClaimRequest> requests, Duration lease) {
        List<IdempotencyClaim> claims = new ArrayList<>(requests.size());
        requests.forEach(request -> claims.add(claim(request.key(), request.requestHash(), lease)));
        return claims;
    }

    /** {@link #complete} for several keys, in order; a store that can answers them in one round trip. */
    default List<Boolean> completeAll(List<Completion> completions, Duration ttl) {
        List<Boolean> done = new ArrayList<>(completions.size());
        completions.forEach(completion -> done.add(complete(completion.key(), completion.token(), completion.response(), ttl)));
        return done;
    }
}
