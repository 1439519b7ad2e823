package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

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

        private FailingKeys(IdempotencyStore store) {
            this.store = store;
        }

        @Override
        public List<IdempotencyClaim> claimAll(List<ClaimRequest> requests, Duration lease) {
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
