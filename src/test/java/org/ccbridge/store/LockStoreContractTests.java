package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.ccbridge.coordination.LockLease;
import org.ccbridge.coordination.LockStore;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link LockStore} adapter must have; one subclass per backend. */
abstract class LockStoreContractTests {

    private static final Duration TTL = Duration.ofSeconds(30);

    protected abstract LockStore store();

    /** A second store on the same backend, as another instance or a restarted one sees it. */
    protected abstract LockStore anotherInstance();

    private final String resource = "test-" + UUID.randomUUID();

    @Test
    void firstOwnerHoldsAndOthersAreRefused() {
        Optional<LockLease> first = store().acquire(resource, "flow-a", TTL);

        assertThat(first).isPresent();
        assertThat(first.get().fencingToken()).isPositive();
        assertThat(store().acquire(resource, "flow-b", TTL)).isEmpty();
        assertThat(anotherInstance().acquire(resource, "flow-b", TTL)).isEmpty();
    }

    @Test
    void aBatchOfAcquisitionsAndReleasesDecidesEachLockOnItsOwn() {
        String free = resource + "-free";
        String heldByOther = resource + "-other";
        LockLease mine = store().acquire(resource, "flow-a", TTL).orElseThrow();
        store().acquire(heldByOther, "flow-b", TTL).orElseThrow();

        List<Optional<LockLease>> leases = store().acquireAll(List.of(
                new LockStore.Request(free, "flow-a", TTL),
                new LockStore.Request(heldByOther, "flow-a", TTL),
                new LockStore.Request(resource, "flow-a", TTL)));

        assertThat(leases.get(0)).isPresent();
        assertThat(leases.get(1)).isEmpty();
        assertThat(leases.get(2)).get().extracting(LockLease::fencingToken).isEqualTo(mine.fencingToken());
        assertThat(store().releaseAll(List.of(
                new LockStore.Request(free, "flow-a", TTL),
                new LockStore.Request(heldByOther, "flow-a", TTL),
                new LockStore.Request(resource, "flow-a", TTL)))).containsExactly(true, false, true);
        assertThat(anotherInstance().acquire(free, "flow-c", TTL)).isPresent();
        assertThat(anotherInstance().acquire(heldByOther, "flow-c", TTL)).isEmpty();
    }

    @Test
    void retryOfTheHolderGetsItsOwnLeaseBack() {
        LockLease first = store().acquire(resource, "flow-a", TTL).orElseThrow();

        assertThat(store().acquire(resource, "flow-a", TTL)).get()
                .extracting(LockLease::fencingToken).isEqualTo(first.fencingToken());
    }

    @Test
    void onlyTheHolderReleasesAndTheNextHolderGetsAGreaterToken() {
        LockLease first = store().acquire(resource, "flow-a", TTL).orElseThrow();

        assertThat(store().release(resource, "flow-b")).isFalse();
        assertThat(store().acquire(resource, "flow-b", TTL)).isEmpty();
        assertThat(store().release(resource, "flow-a")).isTrue();

        LockLease second = store().acquire(resource, "flow-b", TTL).orElseThrow();
        assertThat(second.fencingToken()).isGreaterThan(first.fencingToken());
    }

    @Test
    void renewalKeepsTheLockAndOnlyTheHolderRenews() throws InterruptedException {
        store().acquire(resource, "flow-a", Duration.ofMillis(400)).orElseThrow();

        assertThat(store().renew(resource, "flow-b", TTL)).isEmpty();
        assertThat(store().renew(resource, "flow-a", Duration.ofSeconds(5))).isPresent();
        Thread.sleep(600);

        assertThat(store().acquire(resource, "flow-b", TTL)).as("renewed past the first lease").isEmpty();
    }

    @Test
    void expiredLeaseIsTakenOverAndTheStaleHoldersWriteIsRejectedByItsToken() throws InterruptedException {
        FencedRecord record = new FencedRecord();
        LockLease stale = store().acquire(resource, "flow-a", Duration.ofMillis(200)).orElseThrow();
        Thread.sleep(400);

        LockLease current = anotherInstance().acquire(resource, "flow-b", TTL).orElseThrow();
        assertThat(current.fencingToken()).isGreaterThan(stale.fencingToken());
        assertThat(record.write(current.fencingToken(), "from b")).isTrue();

        // flow-a wakes up, still believing it holds the lock
        assertThat(record.write(stale.fencingToken(), "from a")).as("stale write").isFalse();
        assertThat(record.value).isEqualTo("from b");
        assertThat(store().renew(resource, "flow-a", TTL)).isEmpty();
        assertThat(store().release(resource, "flow-a")).isFalse();
        assertThat(store().acquire(resource, "flow-c", TTL)).as("flow-b still holds it").isEmpty();
    }

    @Test
    void tokensKeepRisingAcrossInstances() {
        long last = 0;
        for (int i = 0; i < 6; i++) {
            LockStore instance = i % 2 == 0 ? store() : anotherInstance();
            LockLease lease = instance.acquire(resource, "flow-" + i, TTL).orElseThrow();
            assertThat(lease.fencingToken()).isGreaterThan(last);
            last = lease.fencingToken();
            assertThat(instance.release(resource, "flow-" + i)).isTrue();
        }
    }

    @Test
    void hundredConcurrentAcquirersHoldTheLockOneAtATime() throws Exception {
        int acquirers = 100;
        AtomicInteger holders = new AtomicInteger();
        AtomicInteger mostHolders = new AtomicInteger();
        FencedRecord record = new FencedRecord();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(acquirers);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < acquirers; i++) {
                String owner = "flow-" + i;
                LockStore instance = i % 2 == 0 ? store() : anotherInstance();
                results.add(pool.submit(() -> {
                    start.await();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (System.nanoTime() < deadline) {
                        Optional<LockLease> lease = instance.acquire(resource, owner, TTL);
                        if (lease.isPresent()) {
                            mostHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
                            boolean written = record.write(lease.get().fencingToken(), owner);
                            holders.decrementAndGet();
                            instance.release(resource, owner);
                            return written;
                        }
                        Thread.sleep(2);
                    }
                    return false;
                }));
            }
            start.countDown();
            for (Future<Boolean> result : results) {
                assertThat(result.get(90, TimeUnit.SECONDS)).as("every acquirer got the lock and wrote").isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(mostHolders.get()).as("holders at one time").isEqualTo(1);
        assertThat(record.writes).isEqualTo(acquirers);
    }

    /** A storage layer that keeps the highest fencing token it saw and refuses lower ones. */
    static final class FencedRecord {
        long highestToken;
        String value;
        int writes;

        synchronized boolean write(long token, String newValue) {
            if (token <= highestToken) {
                return false;
            }
            highestToken = token;
            value = newValue;
            writes++;
            return true;
        }
    }
}
