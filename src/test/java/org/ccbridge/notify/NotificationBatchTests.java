package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.IdempotencyClaim;
import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.coordination.StoredResponse;
import org.ccbridge.normalize.PhoneNumbers;
import org.ccbridge.normalize.ValueNormalizer;
import org.ccbridge.store.JdbcIdempotencyStore;
import org.ccbridge.support.MigratedH2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** What a batch does when a store fails at each of its three steps. */
class NotificationBatchTests {

    private final HikariDataSource database = MigratedH2.open("notification-batch-" + UUID.randomUUID(), 4);
    private final JdbcTemplate jdbc = new JdbcTemplate(database);
    private final FailingKeys keys = new FailingKeys(new JdbcIdempotencyStore(jdbc, Clock.systemUTC()));
    private final NotificationOutbox outbox = new NotificationOutbox(jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(database)),
            new ValueNormalizer(new PhoneNumbers("US")), Clock.systemUTC());
    private final NotificationBatch batch = new NotificationBatch(outbox, keys, Duration.ofHours(24));

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aClaimStoreThatDoesNotAnswerFailsTheBatchAndNothingIsStored() {
        keys.failClaims = true;

        assertThatThrownBy(() -> batch.accept("flows", items(3))).isInstanceOf(CoordinationStoreUnavailableException.class);

        assertThat(stored()).isZero();
    }

    @Test
    void aDatabaseThatFailsTheTransactionReleasesTheClaimsSoThatTheRetryGoesThrough() {
        jdbc.execute("ALTER TABLE ccbridge_outbox RENAME TO ccbridge_outbox_away");
        try {
            assertThatThrownBy(() -> batch.accept("flows", items(3))).isInstanceOf(RuntimeException.class);
        } finally {
            jdbc.execute("ALTER TABLE ccbridge_outbox_away RENAME TO ccbridge_outbox");
        }
        assertThat(stored()).as("the transaction rolled back").isZero();

        List<NotificationBatch.Result> retry = batch.accept("flows", items(3));

        // not 409: the failed attempt gave its claims back
        assertThat(retry).extracting(NotificationBatch.Result::status).containsOnly(202);
        assertThat(stored()).isEqualTo(3);
    }

    @Test
    void itemsStoredBeforeTheirClaimsCouldBeCompletedAreAnsweredAsAcceptedAndRetriesKeepTheirIds() {
        keys.failCompletions = true;

        List<NotificationBatch.Result> first = batch.accept("flows", items(2));

        assertThat(first).extracting(NotificationBatch.Result::status).containsOnly(202);
        assertThat(stored()).isEqualTo(2);
        // once the claims' lease has ended, the table answers the retry
        keys.failCompletions = false;
        jdbc.update("DELETE FROM ccbridge_idempotency");
        List<NotificationBatch.Result> retry = batch.accept("flows", items(2));
        assertThat(retry).extracting(NotificationBatch.Result::id)
                .containsExactly(first.get(0).id(), first.get(1).id());
        assertThat(retry).extracting(NotificationBatch.Result::replayed).containsOnly(true);
        assertThat(stored()).isEqualTo(2);
    }

    @Test
    void anInvalidRequestGatheredWithValidOnesIsStillA400WhenTheKeyStoreFailsTheirBatch() throws Exception {
        keys.failClaims = true;
        keys.holdClaims = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try (NotificationService service = new NotificationService(batch, 200, 1, Duration.ofSeconds(10))) {
            // the first request's batch holds the only worker in the key store...
            Future<?> first = callers.submit(() -> service.accept("flows", "key-0", items(1).get(0).request()));
            Thread.sleep(300);
            // ...while an invalid and a valid request queue up: they are the next batch, together
            Future<?> invalid = callers.submit(() -> service.accept("flows", "key-1", new NotificationRequest("sms",
                    "zz-4711-qq", "reminder", null, "cust-1", "campaign", null)));
            Future<?> valid = callers.submit(() -> service.accept("flows", "key-2", items(3).get(2).request()));
            Thread.sleep(300);
            keys.holdClaims.countDown();

            assertThatThrownBy(first::get).hasCauseInstanceOf(CoordinationStoreUnavailableException.class);
            assertThatThrownBy(invalid::get).hasCauseInstanceOf(InvalidNotificationException.class);
            assertThatThrownBy(valid::get).hasCauseInstanceOf(CoordinationStoreUnavailableException.class);
            assertThat(keys.claimBatchSizes).containsExactly(1, 1);
        } finally {
            callers.shutdownNow();
        }
        assertThat(stored()).isZero();
    }

    private List<NotificationBatch.Item> items(int count) {
        List<NotificationBatch.Item> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(new NotificationBatch.Item("key-" + i, new NotificationRequest("sms", "202-555-014" + i, "reminder",
                    null, "cust-" + i, "campaign", null)));
        }
        return items;
    }

    private int stored() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications", Integer.class);
    }

    /** The H2 key store, made to fail its batch claims or completions on demand. */
    private static final class FailingKeys implements IdempotencyStore {

        private final IdempotencyStore store;
        private volatile boolean failClaims;
        private volatile boolean failCompletions;
        /** When set, batch claims wait for it first. */
        private volatile CountDownLatch holdClaims;
        /** How many keys each batch claim asked for. */
        private final List<Integer> claimBatchSizes = new CopyOnWriteArrayList<>();

        private FailingKeys(IdempotencyStore store) {
            this.store = store;
        }

        @Override
        public List<IdempotencyClaim> claimAll(List<ClaimRequest> requests, Duration lease) {
            claimBatchSizes.add(requests.size());
            if (holdClaims != null) {
                try {
                    holdClaims.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failClaims) {
                throw new CoordinationStoreUnavailableException("the key store did not answer", null);
            }
            return store.claimAll(requests, lease);
        }

        @Override
        public List<Boolean> completeAll(List<Completion> completions, Duration ttl) {
            if (failCompletions) {
                throw new CoordinationStoreUnavailableException("the key store did not answer", null);
            }
            return store.completeAll(completions, ttl);
        }

        @Override
        public IdempotencyClaim claim(String key, String requestHash, Duration lease) {
            return store.claim(key, requestHash, lease);
        }

        @Override
        public boolean complete(String key, String token, StoredResponse response, Duration ttl) {
            return store.complete(key, token, response, ttl);
        }

        @Override
        public boolean release(String key, String token) {
            return store.release(key, token);
        }
    }
}
