package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.ccbridge.dedup.Claim;
import org.ccbridge.dedup.ClaimState;
import org.ccbridge.dedup.DedupStore;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link DedupStore} adapter must have; one subclass per backend.
 */
abstract class DedupStoreContractTests {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration TTL = Duration.ofHours(72);

    protected abstract DedupStore store();

    private final String key = "test:" + UUID.randomUUID();

    @Test
    void firstClaimWins() {
        Claim claim = store().claim(key, "h1", LEASE);
        assertThat(claim.state()).isEqualTo(ClaimState.CLAIMED);
        assertThat(claim.token()).isNotBlank();
    }

    @Test
    void secondClaimWhileInFlightIsInFlight() {
        store().claim(key, "h1", LEASE);
        assertThat(store().claim(key, "h1", LEASE).state()).isEqualTo(ClaimState.IN_FLIGHT);
    }

    @Test
    void claimAfterConfirmIsDone() {
        Claim claim = store().claim(key, "h1", LEASE);
        assertThat(store().confirm(key, claim.token(), TTL)).isTrue();
        assertThat(store().claim(key, "h1", LEASE).state()).isEqualTo(ClaimState.DONE);
        assertThat(store().lookup(key, "h1")).isEqualTo(ClaimState.DONE);
    }

    @Test
    void otherPayloadIsAMismatchWhetherInFlightOrDone() {
        Claim claim = store().claim(key, "h1", LEASE);
        assertThat(store().claim(key, "h2", LEASE).state()).isEqualTo(ClaimState.PAYLOAD_MISMATCH);
        store().confirm(key, claim.token(), TTL);
        assertThat(store().claim(key, "h2", LEASE).state()).isEqualTo(ClaimState.PAYLOAD_MISMATCH);
    }

    @Test
    void releasedClaimCanBeClaimedAgain() {
        Claim claim = store().claim(key, "h1", LEASE);
        assertThat(store().release(key, claim.token())).isTrue();
        assertThat(store().lookup(key, "h1")).isNull();
        assertThat(store().claim(key, "h1", LEASE).state()).isEqualTo(ClaimState.CLAIMED);
    }

    @Test
    void onlyTheTokenHolderConfirmsOrReleases() {
        Claim claim = store().claim(key, "h1", LEASE);
        assertThat(store().confirm(key, "someone-else", TTL)).isFalse();
        assertThat(store().release(key, "someone-else")).isFalse();
        assertThat(store().claim(key, "h1", LEASE).state()).isEqualTo(ClaimState.IN_FLIGHT);
        assertThat(store().confirm(key, claim.token(), TTL)).isTrue();
    }

    @Test
    void doneClaimCannotBeReleased() {
        Claim claim = store().claim(key, "h1", LEASE);
        store().confirm(key, claim.token(), TTL);
        assertThat(store().release(key, claim.token())).isFalse();
        assertThat(store().lookup(key, "h1")).isEqualTo(ClaimState.DONE);
    }

    @Test
    void expiredLeaseLetsARetryClaimAndFencesTheOldHolder() throws InterruptedException {
        Claim crashed = store().claim(key, "h1", Duration.ofMillis(200));
        Thread.sleep(400);
        Claim retry = store().claim(key, "h1", LEASE);
        assertThat(retry.state()).isEqualTo(ClaimState.CLAIMED);
        assertThat(store().confirm(key, crashed.token(), TTL)).isFalse();
        assertThat(store().release(key, crashed.token())).isFalse();
        assertThat(store().confirm(key, retry.token(), TTL)).isTrue();
    }

    @Test
    void doneClaimExpiresAfterItsTtl() throws InterruptedException {
        Claim claim = store().claim(key, "h1", LEASE);
        store().confirm(key, claim.token(), Duration.ofMillis(200));
        Thread.sleep(400);
        assertThat(store().lookup(key, "h1")).isNull();
        assertThat(store().claim(key, "h1", LEASE).state()).isEqualTo(ClaimState.CLAIMED);
    }

    @Test
    void concurrentClaimsHaveExactlyOneWinner() throws Exception {
        int contenders = 50;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ClaimState>> answers = new ArrayList<>();
            for (int i = 0; i < contenders; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return store().claim(key, "h1", LEASE).state();
                }));
            }
            start.countDown();
            List<ClaimState> states = new ArrayList<>();
            for (Future<ClaimState> answer : answers) {
                states.add(answer.get());
            }
            assertThat(states).filteredOn(s -> s == ClaimState.CLAIMED).hasSize(1);
            assertThat(states).filteredOn(s -> s == ClaimState.IN_FLIGHT).hasSize(contenders - 1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pingAnswers() {
        store().ping();
    }
}
