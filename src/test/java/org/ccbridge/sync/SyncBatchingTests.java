package org.ccbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import org.ccbridge.crm.TargetRejectedException;
import org.ccbridge.support.FakeSalesforce;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Concurrent Salesforce upserts gathered into collection upserts, each caller getting its own result. */
class SyncBatchingTests {

    private static final SyncFixture FIXTURE = new SyncFixture(Map.of(
            "ccbridge.crm.targets.salesforce.salesforce.batch-size", "50",
            "ccbridge.crm.targets.salesforce.salesforce.batch-linger", "300ms",
            "ccbridge.crm.targets.salesforce.salesforce.batch-senders", "1"));
    private static int runs;

    private String prefix;

    @BeforeEach
    void fresh() {
        FIXTURE.salesforce.reset();
        prefix = "B" + (++runs) + "-";
    }

    @AfterAll
    static void close() {
        FIXTURE.close();
    }

    @Test
    void concurrentChangesGoAsCollectionUpsertsWithTheExternalIdAndEachIsApplied() throws Exception {
        List<Future<SyncOutcome>> outcomes = syncConcurrently(30);

        for (Future<SyncOutcome> outcome : outcomes) {
            assertThat(outcome.get().status()).isEqualTo(SyncStatus.RESOLVED);
        }
        List<JsonNode> records = FIXTURE.salesforce.collectionRecords();
        assertThat(records).hasSize(30);
        assertThat(records).extracting(record -> record.get("External_Id__c").asText()).doesNotHaveDuplicates()
                .allMatch(key -> key.startsWith(prefix));
        assertThat(records.get(0).get("attributes").get("type").asText()).isEqualTo("Contact");
        assertThat(records.get(0).get("Sync_Source__c").asText()).isEqualTo("ccbridge");
        // the record as the collection API documents it: no null base fields of a typed sObject
        assertThat(records.get(0).has("Id")).isFalse();
        // one refused record must not roll the others back
        assertThat(FIXTURE.salesforce.collectionAllOrNone()).isNotEmpty().containsOnly(false);
        assertThat(FIXTURE.salesforce.collectionRequests()).isLessThan(30);
        for (int i = 0; i < 30; i++) {
            assertThat(FIXTURE.state(prefix + i).status()).isEqualTo(SyncStatus.RESOLVED);
        }
    }

    @Test
    void aRecordTheCollectionRefusesFailsAloneAndTheOthersAreApplied() throws Exception {
        FIXTURE.salesforce.answerCollectionsWith(FakeSalesforce.WRITTEN, FakeSalesforce.REFUSED_EMAIL, FakeSalesforce.WRITTEN);

        List<Future<SyncOutcome>> outcomes = syncConcurrently(3);

        int refused = 0;
        for (Future<SyncOutcome> outcome : outcomes) {
            try {
                assertThat(outcome.get().status()).isEqualTo(SyncStatus.RESOLVED);
            } catch (ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(TargetRejectedException.class)
                        .hasMessageContaining("INVALID_EMAIL_ADDRESS");
                refused++;
            }
        }
        assertThat(refused).isEqualTo(1);
        assertThat(FIXTURE.salesforce.collectionRequests()).isEqualTo(1);
        String refusedKey = FIXTURE.salesforce.collectionRecords().get(1).get("External_Id__c").asText();
        assertThat(FIXTURE.states.find("Contact", refusedKey)).isEmpty();
    }

    private List<Future<SyncOutcome>> syncConcurrently(int count) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SyncOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RecordChange change = FIXTURE.read("genesys", prefix + i, "{\"data\":{\"version\":1,\"email\":\"c" + i
                    + "@example.com\"}}").orElseThrow();
            outcomes.add(pool.submit(() -> {
                start.await();
                return FIXTURE.engine.process(change);
            }));
        }
        start.countDown();
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        return outcomes;
    }
}
