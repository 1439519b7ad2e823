package org.ccbridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.crm.TargetRejectedException;
import org.ccbridge.support.FakeSalesforce;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contact-center lane's batches (routes/record-sync-contact-center.camel.yaml and
 * record-sync-batch.camel.yaml) against a fake Salesforce that takes collection upserts: a batch's
 * changes share one collection call and one commit, and whatever the batch cannot finish (a record
 * refused alone, a call failed as a whole, a record locked elsewhere, a second change of a record)
 * goes on one by one with the one-change path's retries and dead letters.
 */
class SyncBatchLaneTests {

    private static final SyncFixture FIXTURE = new SyncFixture(Map.of(
            "ccbridge.crm.targets.salesforce.salesforce.batch-size", "200",
            "ccbridge.sync.retry.attempts", "3",
            "ccbridge.sync.retry.initial-backoff", "50ms",
            "ccbridge.sync.retry.max-backoff", "100ms"));
    private static final SyncPipelineHarness PIPELINE = FIXTURE.pipeline();
    private static int runs;

    private String prefix;

    @BeforeEach
    void fresh() {
        FIXTURE.salesforce.reset();
        prefix = "L" + (++runs) + "-";
    }

    @AfterAll
    static void close() {
        PIPELINE.close();
        FIXTURE.close();
    }

    @Test
    void aBatchOfChangesIsOneCollectionUpsertAndEachRecordIsAppliedOnce() {
        List<SyncPipelineHarness.Result> results = deliver(contacts(25));

        assertThat(results).extracting(SyncPipelineHarness.Result::status).containsOnly("RESOLVED");
        // one call in all: the collection
        assertThat(FIXTURE.salesforce.collectionRequests()).isEqualTo(1);
        assertThat(FIXTURE.salesforce.upsertCount()).isEqualTo(1);
        assertThat(FIXTURE.salesforce.collectionRecords()).extracting(record -> record.get("External_Id__c").asText())
                .hasSize(25).doesNotHaveDuplicates();
        for (int i = 0; i < 25; i++) {
            RecordState state = FIXTURE.state(prefix + i);
            assertThat(state.status()).isEqualTo(SyncStatus.RESOLVED);
            assertThat(state.fenceToken()).isPositive();
        }
    }

    @Test
    void anEventThatTouchesNoMappedFieldEndsAloneAndTheOthersAreWritten() {
        List<String[]> events = contacts(2);
        events.add(1, new String[] {prefix + "unmapped", "{\"data\":{\"version\":1,\"shoeSize\":\"44\"}}"});

        List<SyncPipelineHarness.Result> results = deliver(events);

        assertThat(results).extracting(SyncPipelineHarness.Result::status)
                .containsExactly("RESOLVED", "NOT_MAPPED", "RESOLVED");
        assertThat(FIXTURE.salesforce.collectionRecords()).hasSize(2);
    }

    @Test
    void aRecordTheCollectionRefusesIsDeadLetteredAloneAfterOneAttemptAndTheOthersAreApplied() {
        FIXTURE.salesforce.answerCollectionsWith(FakeSalesforce.WRITTEN, FakeSalesforce.REFUSED_EMAIL, FakeSalesforce.WRITTEN);
        double refusedBefore = PIPELINE.alone("write-failed");

        List<SyncPipelineHarness.Result> results = deliver(contacts(3));

        assertThat(results.get(0).status()).isEqualTo("RESOLVED");
        assertThat(results.get(2).status()).isEqualTo("RESOLVED");
        assertThat(results.get(1).deadLetter().error()).startsWith(TargetRejectedException.class.getSimpleName())
                .contains("INVALID_EMAIL_ADDRESS");
        // the refusal in the batch was its one attempt: dead-lettered at once, no second call
        assertThat(results.get(1).deadLetter().attempts()).isEqualTo(1);
        assertThat(FIXTURE.salesforce.collectionRequests()).isEqualTo(1);
        assertThat(FIXTURE.salesforce.upsertCount()).isEqualTo(1);
        assertThat(FIXTURE.states.find("Contact", prefix + 1)).isEmpty();
        assertThat(FIXTURE.state(prefix + 0).status()).isEqualTo(SyncStatus.RESOLVED);
        assertThat(PIPELINE.alone("write-failed") - refusedBefore).isEqualTo(1);
    }

    @Test
    void aCollectionCallThatFailsAsAWholeCountsAsTheFirstAttemptOfEachRecord() {
        // the collection answers 503 once; each record then goes on alone and is written by itself
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.COLLECTION_PATH)).atPriority(1)
                .inScenario("down").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("Service Unavailable")).willSetStateTo("up"));
        double failedBefore = PIPELINE.alone("call-failed");

        List<SyncPipelineHarness.Result> results = deliver(contacts(3));
        assertThat(PIPELINE.alone("call-failed") - failedBefore).isEqualTo(3);

        assertThat(results).extracting(SyncPipelineHarness.Result::status).containsOnly("RESOLVED");
        assertThat(results).extracting(SyncPipelineHarness.Result::deadLetter).containsOnlyNulls();
        // one failed collection, then one write per record: single upserts, or collections of those that met
        int alone = FIXTURE.salesforce.upsertCount() - FIXTURE.salesforce.collectionRequests();
        int written = alone + FIXTURE.salesforce.collectionRecords().size() - 3;
        assertThat(written).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            assertThat(FIXTURE.state(prefix + i).status()).isEqualTo(SyncStatus.RESOLVED);
        }
    }

    @Test
    void aCallThatKeepsFailingIsDeadLetteredAfterTheConfiguredAttemptsCountingTheBatchCall() {
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + prefix + 0)).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("Service Unavailable")));

        SyncPipelineHarness.Result result = deliver(contacts(1)).get(0);

        // 3 attempts in all, the batch's call (a lone record's own upsert) and two more
        assertThat(result.deadLetter().attempts()).isEqualTo(3);
        assertThat(FIXTURE.salesforce.upserts(prefix + 0)).hasSize(3);
        assertThat(FIXTURE.salesforce.collectionRequests()).isZero();
    }

    @Test
    void twoChangesOfOneRecordInABatchAreAppliedInTheirOrder() {
        List<String[]> events = new ArrayList<>();
        events.add(new String[] {prefix + "twice", "{\"data\":{\"version\":1,\"email\":\"first@example.com\"}}"});
        events.add(new String[] {prefix + "other", "{\"data\":{\"version\":1,\"email\":\"other@example.com\"}}"});
        events.add(new String[] {prefix + "twice", "{\"data\":{\"version\":2,\"email\":\"second@example.com\"}}"});

        List<SyncPipelineHarness.Result> results = deliver(events);

        assertThat(results).extracting(SyncPipelineHarness.Result::status).containsOnly("RESOLVED");
        assertThat(FIXTURE.state(prefix + "twice").version()).isEqualTo(2);
        List<JsonNode> writes = new ArrayList<>(FIXTURE.salesforce.collectionRecords());
        writes.addAll(FIXTURE.salesforce.upserts(prefix + "twice"));
        assertThat(writes).filteredOn(record -> !record.has("External_Id__c")
                        || record.get("External_Id__c").asText().equals(prefix + "twice"))
                .extracting(record -> record.get("Email").asText())
                .containsExactly("first@example.com", "second@example.com");
    }

    @Test
    void aRecordLockedElsewhereWaitsAloneWhileTheRestOfTheBatchIsWritten() throws Exception {
        List<String[]> events = contacts(3);
        RecordChange locked = FIXTURE.read("genesys", prefix + 1, events.get(1)[1]).orElseThrow();
        FencedLocks elsewhere = FIXTURE.otherInstanceLocks();
        FencedLocks.Hold hold = elsewhere.hold(SyncEngine.lockName(locked), Duration.ofSeconds(30), Duration.ofSeconds(1));
        double busyBefore = PIPELINE.alone("lock-busy");

        CompletableFuture<List<SyncPipelineHarness.Result>> delivered = CompletableFuture.supplyAsync(() -> deliver(events));
        // the others do not wait for the held record
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> FIXTURE.salesforce.collectionRecords().size() == 2);
        assertThat(FIXTURE.salesforce.upserts(prefix + 1)).isEmpty();
        hold.close();

        List<SyncPipelineHarness.Result> results = delivered.get();
        assertThat(results).extracting(SyncPipelineHarness.Result::status).containsOnly("RESOLVED");
        assertThat(FIXTURE.salesforce.upserts(prefix + 1)).hasSize(1);
        assertThat(PIPELINE.alone("lock-busy") - busyBefore).isEqualTo(1);
    }

    @Test
    void anEventWhoseOwnStepsKeepFailingGoesBackToItsQueueAloneAndTheOthersAreWritten() throws Exception {
        // a per-event step (say, a recipe's lookup) that finds its store down for one event
        AtomicInteger runs = new AtomicInteger();
        try (SyncPipelineHarness pipeline = new SyncPipelineHarness(FIXTURE, Map.of("record-sync-contact-center-event",
                route -> route.weaveAddFirst().process(exchange -> {
                    if (new String(exchange.getMessage().getBody(byte[].class)).contains("store-down")) {
                        runs.incrementAndGet();
                        throw new CoordinationStoreUnavailableException("the lookup store did not answer", null);
                    }
                })))) {
            List<String[]> events = contacts(3);
            events.set(1, new String[] {prefix + 1, "{\"data\":{\"version\":1,\"email\":\"store-down@example.com\"}}"});

            List<SyncPipelineHarness.Result> results = pipeline.deliverAll("genesys", events);

            assertThat(results.get(1).requeuedFor()).isInstanceOf(CoordinationStoreUnavailableException.class);
            assertThat(results.get(1).deadLetter()).isNull();
            // the event's own retries (3 attempts), not a retry of the batch on top
            assertThat(runs).hasValue(3);
            assertThat(results.get(0).status()).isEqualTo("RESOLVED");
            assertThat(results.get(2).status()).isEqualTo("RESOLVED");
            assertThat(FIXTURE.salesforce.collectionRequests()).isEqualTo(1);
            assertThat(FIXTURE.salesforce.collectionRecords()).hasSize(2);
            assertThat(FIXTURE.states.find("Contact", prefix + 1)).isEmpty();
        }
    }

    @Test
    void anEventDeadLetteredByItsOwnStepsDoesNotEndTheBatchForTheOthers() throws Exception {
        // the first event of the batch is dead-lettered: its exchange, marked handled by sync-errors,
        // must not end the lane before the batch stages, or the others would be acked unwritten
        try (SyncPipelineHarness pipeline = new SyncPipelineHarness(FIXTURE, Map.of("record-sync-contact-center-event",
                route -> route.weaveAddFirst().process(exchange -> {
                    if (new String(exchange.getMessage().getBody(byte[].class)).contains("poison")) {
                        throw new IllegalStateException("a recipe step refused the event");
                    }
                })))) {
            List<String[]> events = contacts(3);
            events.set(0, new String[] {prefix + 0, "{\"data\":{\"version\":1,\"email\":\"poison@example.com\"}}"});

            List<SyncPipelineHarness.Result> results = pipeline.deliverAll("genesys", events);

            assertThat(results.get(0).deadLetter().error()).startsWith(IllegalStateException.class.getSimpleName());
            assertThat(results.get(1).status()).isEqualTo("RESOLVED");
            assertThat(results.get(2).status()).isEqualTo("RESOLVED");
            assertThat(FIXTURE.salesforce.collectionRecords()).extracting(record -> record.get("External_Id__c").asText())
                    .containsExactlyInAnyOrder(prefix + 1, prefix + 2);
        }
    }

    @Test
    void anEventDeadLetteredOnItsOwnDoesNotStopTheBatchFromRequeueingAnother() throws Exception {
        // one record refused in the collection (dead-lettered on its own), one whose own steps find
        // their store down (back to its queue): the lane must still name the second to the consumer
        FIXTURE.salesforce.answerCollectionsWith(FakeSalesforce.REFUSED_EMAIL, FakeSalesforce.WRITTEN);
        try (SyncPipelineHarness pipeline = new SyncPipelineHarness(FIXTURE, Map.of("record-sync-contact-center-event",
                route -> route.weaveAddFirst().process(exchange -> {
                    if (new String(exchange.getMessage().getBody(byte[].class)).contains("store-down")) {
                        throw new CoordinationStoreUnavailableException("the lookup store did not answer", null);
                    }
                })))) {
            List<String[]> events = contacts(3);
            events.set(1, new String[] {prefix + 1, "{\"data\":{\"version\":1,\"email\":\"store-down@example.com\"}}"});

            List<SyncPipelineHarness.Result> results = pipeline.deliverAll("genesys", events);

            assertThat(results.get(0).deadLetter().error()).contains("INVALID_EMAIL_ADDRESS");
            assertThat(results.get(1).requeuedFor()).isInstanceOf(CoordinationStoreUnavailableException.class);
            assertThat(results.get(2).status()).isEqualTo("RESOLVED");
        }
    }

    private List<SyncPipelineHarness.Result> deliver(List<String[]> events) {
        return PIPELINE.deliverAll("genesys", events);
    }

    private List<String[]> contacts(int count) {
        List<String[]> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new String[] {prefix + i, "{\"data\":{\"version\":1,\"email\":\"c" + i + "@example.com\"}}"});
        }
        return events;
    }
}
