package org.ccbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two instances' worth of concurrent updates to one record end in the deterministic resolution,
 * with no lost update, and a writer whose lock lapsed cannot overwrite its successor.
 */
class SyncConcurrencyTests {

    private static final SyncFixture FIXTURE = new SyncFixture(Map.of("ccbridge.sync.loop-breaker.max-updates", "1000"));

    @AfterAll
    static void close() {
        FIXTURE.close();
    }

    @Test
    void concurrentUpdatesFromTwoInstancesEndInTheDeterministicResult() throws Exception {
        String key = "C-concurrent";
        SyncEngine first = FIXTURE.engine;
        SyncEngine second = FIXTURE.newInstance();
        // versions 1..40 from both systems, each field written by many of them, in a shuffled order
        List<RecordChange> changes = new ArrayList<>();
        for (int version = 1; version <= 40; version++) {
            boolean fromCrm = version % 3 == 0;
            String body = fromCrm
                    ? "{\"data\":{\"Sync_Version__c\":" + version + ",\"LastModifiedDate\":\"2026-11-24T10:00:"
                            + String.format("%02d", version) + ".000+0000\",\"Email\":\"v" + version + "@example.com\"}}"
                    : "{\"data\":{\"version\":" + version + ",\"modifiedAt\":\"2026-11-24T10:00:"
                            + String.format("%02d", version) + "Z\",\"firstName\":\"v" + version
                            + "\",\"email\":\"v" + version + "@example.com\"}}";
            changes.add(FIXTURE.read(fromCrm ? "salesforce" : "genesys", key, body).orElseThrow());
        }
        Collections.shuffle(changes, new Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<SyncOutcome>> outcomes = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            SyncEngine instance = i % 2 == 0 ? first : second;
            RecordChange change = changes.get(i);
            outcomes.add(pool.submit((Callable<SyncOutcome>) () -> {
                start.await();
                return instance.process(change);
            }));
        }
        start.countDown();
        for (Future<SyncOutcome> outcome : outcomes) {
            assertThat(outcome.get().status()).isIn(SyncStatus.RESOLVED, SyncStatus.SKIPPED_STALE, SyncStatus.SKIPPED_NOOP);
        }
        pool.shutdown();

        RecordState state = FIXTURE.state(key);
        // version 40 came from the contact center (40 % 3 != 0); the newest firstName is v40 too,
        // and the newest email is v40: whatever the order, nothing older survives
        assertThat(state.version()).isEqualTo(40);
        assertThat(state.fields()).containsEntry("email", "v40@example.com").containsEntry("firstName", "v40");
        List<JsonNode> crmWrites = FIXTURE.salesforce.upserts(key);
        assertThat(crmWrites.get(crmWrites.size() - 1).get("Sync_Version__c").asLong()).isEqualTo(40);
        // writes happened in version order: an older one after a newer one would be a lost update
        List<Long> versions = crmWrites.stream().map(write -> write.get("Sync_Version__c").asLong()).toList();
        assertThat(versions).isSorted();
    }

    @Test
    void aWriteUnderALowerFencingTokenIsRefused() {
        RecordState state = RecordState.empty("Contact", "C-fenced").withOutcome(SyncStatus.RESOLVED, "test", "e1");
        FIXTURE.states.save(state, 10, false, System.currentTimeMillis());
        FIXTURE.states.save(state.withOutcome(SyncStatus.SKIPPED_NOOP, "newer holder", "e2"), 11, true,
                System.currentTimeMillis());

        assertThatThrownBy(() -> FIXTURE.states.save(state.withOutcome(SyncStatus.RESOLVED, "lapsed holder", "e3"), 10, true,
                System.currentTimeMillis())).isInstanceOf(StaleFenceTokenException.class);
        assertThat(FIXTURE.states.find("Contact", "C-fenced").orElseThrow().statusReason()).isEqualTo("newer holder");
        assertThatThrownBy(() -> FIXTURE.states.save(state, 9, false, System.currentTimeMillis()))
                .isInstanceOf(StaleFenceTokenException.class);
    }
}
