package org.ccbridge.coordination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.support.MigratedH2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The Java API over the H2 lock store; the stores themselves have their contract tests. */
class FencedLocksTests {

    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;
    private static ScheduledExecutorService renewals;
    private static LockStore store;
    private static FencedLocks locks;

    private final String resource = "record-" + UUID.randomUUID();

    @BeforeAll
    static void start() {
        dataSource = MigratedH2.open("fenced-locks", 10);
        jdbc = new JdbcTemplate(dataSource);
        store = new JdbcLockStore(jdbc, Clock.systemUTC());
        renewals = Executors.newSingleThreadScheduledExecutor();
        locks = new FencedLocks(store, renewals, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        renewals.shutdownNow();
        dataSource.close();
    }

    @Test
    void workRunsUnderTheLockWhichIsReleasedAfterwards() throws Exception {
        long token = locks.withLock(resource, Duration.ofSeconds(30), Duration.ZERO, lock -> {
            assertThat(store.acquire(resource, "someone-else", Duration.ofSeconds(30))).isEmpty();
            return lock.fencingToken();
        });

        assertThat(token).isPositive();
        assertThat(store.acquire(resource, "someone-else", Duration.ofSeconds(30))).as("released").isPresent();
    }

    @Test
    void leaseIsRenewedWhileLongWorkRuns() throws Exception {
        locks.withLock(resource, Duration.ofMillis(300), Duration.ZERO, lock -> {
            Thread.sleep(1_000);
            assertThat(lock.isHeld()).isTrue();
            assertThat(store.acquire(resource, "someone-else", Duration.ofSeconds(30))).as("still held").isEmpty();
            return null;
        });
    }

    @Test
    void workWhoseLockWasTakenOverEndsInLockLost() {
        assertThatThrownBy(() -> locks.withLock(resource, Duration.ofMillis(300), Duration.ZERO, lock -> {
            // the lease runs out behind the holder's back (a long GC pause, a partition) and
            // another owner takes the lock
            jdbc.update("UPDATE ccbridge_locks SET expires_at = 0 WHERE resource = ?", resource);
            assertThat(store.acquire(resource, "someone-else", Duration.ofSeconds(30))).isPresent();
            Thread.sleep(400);
            assertThat(lock.isHeld()).isFalse();
            assertThatThrownBy(lock::assertHeld).isInstanceOf(LockLostException.class);
            return null;
        })).isInstanceOf(LockLostException.class);

        assertThat(store.acquire(resource, "third", Duration.ofSeconds(30)))
                .as("the lost holder did not release the new owner's lock").isEmpty();
    }

    @Test
    void lockHeldForAllOfTheWaitIsNotAcquired() {
        store.acquire(resource, "someone-else", Duration.ofSeconds(30));

        assertThatThrownBy(() -> locks.withLock(resource, Duration.ofSeconds(30), Duration.ofMillis(200), lock -> null))
                .isInstanceOf(LockNotAcquiredException.class);
    }

    @Test
    void aLockWhoseAcquisitionWentUnansweredIsReleasedSoThatARetryFindsItFree() {
        FencedLocks answersLost = new FencedLocks(new AnswerLosingStore(store), renewals, Clock.systemUTC());

        // the store took the lock, but its answer timed out on the way back
        assertThatThrownBy(() -> answersLost.hold(resource, Duration.ofSeconds(30), Duration.ZERO))
                .isInstanceOf(CoordinationStoreUnavailableException.class);

        assertThat(store.acquire(resource, "retry", Duration.ofSeconds(30))).as("no ghost holds it").isPresent();
    }

    @Test
    void locksOfABatchWhoseAcquisitionWentUnansweredAreReleasedSoThatARetryFindsThemFree() {
        FencedLocks answersLost = new FencedLocks(new AnswerLosingStore(store), renewals, Clock.systemUTC());
        List<String> resources = List.of(resource + "-a", resource + "-b");

        assertThatThrownBy(() -> answersLost.holdAll(resources, Duration.ofSeconds(30)))
                .isInstanceOf(CoordinationStoreUnavailableException.class);

        try (FencedLocks.Group retry = locks.holdAll(resources, Duration.ofSeconds(30))) {
            assertThat(retry.get(0)).as("no ghost holds it").isPresent();
            assertThat(retry.get(1)).as("no ghost holds it").isPresent();
        }
    }

    /** A store that does what it is asked but whose answers to acquisitions are lost, as after a timeout. */
    private record AnswerLosingStore(LockStore store) implements LockStore {

        @Override
        public Optional<LockLease> acquire(String resource, String owner, Duration ttl) {
            store.acquire(resource, owner, ttl);
            throw new CoordinationStoreUnavailableException("the store did not answer in time", null);
        }

        @Override
        public List<Optional<LockLease>> acquireAll(List<Request> requests) {
            store.acquireAll(requests);
            throw new CoordinationStoreUnavailableException("the store did not answer in time", null);
        }

        @Override
        public Optional<LockLease> renew(String resource, String owner, Duration ttl) {
            return store.renew(resource, owner, ttl);
        }

        @Override
        public boolean release(String resource, String owner) {
            return store.release(resource, owner);
        }
    }
}
