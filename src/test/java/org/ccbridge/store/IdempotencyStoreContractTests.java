package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.ccbridge.coordination.IdempotencyClaim;
import org.ccbridge.coordination.IdempotencyClaim.State;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.StoredResponse;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link IdempotencyStore} adapter must have; one subclass per backend. */
abstract class IdempotencyStoreContractTests {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RETENTION = Duration.ofHours(24);

    protected abstract IdempotencyStore store();

    private final String key = "client:target:" + UUID.randomUUID();
    private final StoredResponse created = new StoredResponse(201, Map.of("Content-Type", "application/json",
            "Location", "/contacts/42"), "{\"id\":42}".getBytes());

    @Test
    void firstRequestClaimsAndTheSecondWaitsWhileItRuns() {
        assertThat(store().claim(key, "h1", LEASE).state()).isEqualTo(State.CLAIMED);
        assertThat(store().claim(key, "h1", LEASE).state()).isEqualTo(State.IN_FLIGHT);
        assertThat(store().claim(key, "h2", LEASE).state()).isEqualTo(State.MISMATCH);
    }

    @Test
    void completedRequestIsReplayedWithItsResponse() {
        IdempotencyClaim claim = store().claim(key, "h1", LEASE);
        assertThat(store().complete(key, claim.token(), created, RETENTION)).isTrue();

        IdempotencyClaim replay = store().claim(key, "h1", LEASE);
        assertThat(replay.state()).isEqualTo(State.COMPLETED);
        assertThat(replay.response().status()).isEqualTo(201);
        assertThat(replay.response().headers()).containsEntry("Location", "/contacts/42");
        assertThat(replay.response().body()).isEqualTo("{\"id\":42}".getBytes());
        assertThat(store().claim(key, "h2", LEASE).state()).isEqualTo(State.MISMATCH);
    }

    @Test
    void releasedClaimLetsTheRetryThrough() {
        IdempotencyClaim claim = store().claim(key, "h1", LEASE);
        assertThat(store().release(key, "not-the-token")).isFalse();
        assertThat(store().release(key, claim.token())).isTrue();

        assertThat(store().claim(key, "h1", LEASE).state()).isEqualTo(State.CLAIMED);
    }

    @Test
    void onlyTheHolderCompletesAndACompletedRecordCannotBeReleased() {
        IdempotencyClaim claim = store().claim(key, "h1", LEASE);
        assertThat(store().complete(key, "not-the-token", created, RETENTION)).isFalse();
        assertThat(store().complete(key, claim.token(), created, RETENTION)).isTrue();
        assertThat(store().complete(key, claim.token(), created, RETENTION)).as("once").isFalse();
        assertThat(store().release(key, claim.token())).isFalse();
    }

    @Test
    void leaseOfACrashedRequestRunsOutAndTheRetryClaims() throws InterruptedException {
        IdempotencyClaim crashed = store().claim(key, "h1", Duration.ofMillis(200));
        Thread.sleep(400);

        IdempotencyClaim retry = store().claim(key, "h1", LEASE);
        assertThat(retry.state()).isEqualTo(State.CLAIMED);
        assertThat(store().complete(key, crashed.token(), created, RETENTION)).as("stale holder").isFalse();
    }

    @Test
    void claimsAndCompletionsInOneCallAnswerEachKeyAsSingleCallsWould() {
        String fresh = key + "-fresh";
        String running = key + "-running";
        String done = key + "-done";
        store().claim(running, "h1", LEASE);
        IdempotencyClaim doneClaim = store().claim(done, "h1", LEASE);
        store().complete(done, doneClaim.token(), created, RETENTION);

        List<IdempotencyClaim> claims = store().claimAll(List.of(
                new IdempotencyStore.ClaimRequest(fresh, "h1"),
                new IdempotencyStore.ClaimRequest(running, "h1"),
                new IdempotencyStore.ClaimRequest(done, "h2"),
                new IdempotencyStore.ClaimRequest(done, "h1")), LEASE);

        assertThat(claims).extracting(IdempotencyClaim::state)
                .containsExactly(State.CLAIMED, State.IN_FLIGHT, State.MISMATCH, State.COMPLETED);
        assertThat(claims.get(3).response().headers()).containsEntry("Location", "/contacts/42");
        assertThat(store().completeAll(List.of(
                new IdempotencyStore.Completion(fresh, claims.get(0).token(), created),
                new IdempotencyStore.Completion(running, "not-the-token", created)), RETENTION))
                .containsExactly(true, false);
        assertThat(store().claim(fresh, "h1", LEASE).state()).isEqualTo(State.COMPLETED);
    }
}
