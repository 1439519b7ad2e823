package org.ccbridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.ccbridge.coordination.FencedLocks;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

import org.ccbridge.coordination.LockNotAcquiredException;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.crm.TargetWrite;
import org.ccbridge.crm.TargetRejectedException;
import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.support.FakeSalesforce;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The record-sync routes' retry policy (routes/sync-errors.camel.yaml) against fakes that fail like Salesforce and a REST platform do: re-login on
 * 401, waiting out 403 REQUEST_LIMIT_EXCEEDED and 429 Retry-After, backoff on 5xx, dead-letter at
 * once on 400, a lost response repeated harmlessly, and an open circuit requeued.
 */
class SyncRetryTests {

    private static final SyncFixture FIXTURE = new SyncFixture(Map.of(
            "ccbridge.sync.retry.attempts", "4",
            "ccbridge.crm.targets.platform.circuit-breaker.sliding-window", "4",
            "ccbridge.crm.targets.platform.circuit-breaker.minimum-calls", "4",
            "ccbridge.crm.targets.platform.circuit-breaker.open-for", "60s"));
    private static int records;

    private String key;
    private static final SyncPipelineHarness PIPELINE = FIXTURE.pipeline();

    @BeforeEach
    void fresh() {
        FIXTURE.salesforce.reset();
        FIXTURE.resetPlatform();
        key = "R-" + (++records);
    }

    @AfterAll
    static void close() {
        PIPELINE.close();
        FIXTURE.close();
    }

    @Test
    void anExpiredSessionLogsInAgainOnceAndTheWriteGoesThrough() throws Exception {
        failFirst(FakeSalesforce.invalidSession(), 1);
        int tokensBefore = FIXTURE.salesforce.tokenRequests();

        SyncPipelineHarness.Result outcome = deliver("\"email\":\"a@example.com\"");

        assertThat(outcome.status()).isEqualTo("RESOLVED");
        assertThat(FIXTURE.salesforce.upserts(key)).hasSize(2);
        assertThat(FIXTURE.salesforce.tokenRequests() - tokensBefore).isEqualTo(1);
    }

    @Test
    void aSecondInvalidSessionIsDeadLetteredAtOnce() {
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key))
                .willReturn(FakeSalesforce.invalidSession()));

        SyncPipelineHarness.Result outcome = deliver("\"email\":\"a@example.com\"");

        assertThat(outcome.deadLetter().error()).startsWith(TargetRejectedException.class.getSimpleName());
        assertThat(outcome.deadLetter().attempts()).isEqualTo(1);
        // one repeat after the new login, no more
        assertThat(FIXTURE.salesforce.upserts(key)).hasSize(2);
    }

    @Test
    void requestLimitExceededWaitsForTheLimitBeforeTheNextAttempt() throws Exception {
        failFirst(FakeSalesforce.requestLimitExceeded(), 1);

        SyncPipelineHarness.Result outcome = deliver("\"email\":\"a@example.com\"");

        assertThat(outcome.status()).isEqualTo("RESOLVED");
        List<LoggedRequest> upserts = salesforceRequests();
        assertThat(upserts).hasSize(2);
        // no Retry-After from Salesforce: the configured limit-wait (1 s) applies
        assertThat(gap(upserts.get(0), upserts.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void waitingForTheLimitDoesNotUseUpAttempts() throws Exception {
        // 4 attempts allowed; the limit answers 5 times, then the write goes through
        for (int i = 0; i < 5; i++) {
            FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).inScenario("limit")
                    .whenScenarioStateIs(i == 0 ? STARTED : "limited-" + i).willReturn(FakeSalesforce.requestLimitExceeded())
                    .willSetStateTo("limited-" + (i + 1)));
        }
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).inScenario("limit")
                .whenScenarioStateIs("limited-5").willReturn(FakeSalesforce.created()));

        assertThat(deliver("\"email\":\"a@example.com\"").status()).isEqualTo("RESOLVED");
        assertThat(FIXTURE.salesforce.upserts(key)).hasSize(6);
    }

    @Test
    void a429WaitsAtLeastItsRetryAfter() throws Exception {
        FIXTURE.platform.stubFor(patch(urlEqualTo(SyncFixture.PLATFORM_PATH + key)).inScenario("429").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")
                        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Rate limit exceeded\"}"))
                .willSetStateTo("open"));

        SyncPipelineHarness.Result outcome = PIPELINE.deliver("salesforce", key,
                "{\"data\":{\"Sync_Version__c\":1,\"Email\":\"a@example.com\"}}");

        assertThat(outcome.status()).isEqualTo("RESOLVED");
        List<LoggedRequest> writes = FIXTURE.platform.findAll(patchRequestedFor(urlEqualTo(SyncFixture.PLATFORM_PATH + key)));
        assertThat(writes).hasSize(2);
        assertThat(gap(writes.get(0), writes.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void serverErrorsAreRetriedWithBackoffUntilTheyPass() throws Exception {
        failFirst(FakeSalesforce.error(500, "UNKNOWN_EXCEPTION", "An unexpected error occurred"), 1);
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).inScenario("fail")
                .whenScenarioStateIs("1").willReturn(aResponse().withStatus(503).withBody("Service Unavailable"))
                .willSetStateTo("2"));

        SyncPipelineHarness.Result outcome = deliver("\"email\":\"a@example.com\"");

        assertThat(outcome.status()).isEqualTo("RESOLVED");
        assertThat(FIXTURE.salesforce.upserts(key)).hasSize(3);
    }

    @Test
    void aValidationErrorIsDeadLetteredWithoutRetries() {
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).willReturn(
                FakeSalesforce.error(400, "INVALID_FIELD", "No such column 'Last_Disposition__c' on sobject of type Contact")));

        SyncPipelineHarness.Result outcome = deliver("\"disposition\":\"Resolved\"");

        assertThat(outcome.deadLetter().error()).contains("INVALID_FIELD");
        assertThat(outcome.deadLetter().attempts()).isEqualTo(1);
        assertThat(outcome.requeued()).isFalse();
        assertThat(FIXTURE.salesforce.upserts(key)).hasSize(1);
    }

    @Test
    void aLostResponseIsRepeatedHarmlesslyAndLeavesOneRecordWithTheRightVersion() throws Exception {
        // the fake applies the upsert, then answers after the client's 2 s timeout
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).inScenario("lost")
                .whenScenarioStateIs(STARTED).willReturn(FakeSalesforce.created().withFixedDelay(3000))
                .willSetStateTo("applied"));
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).inScenario("lost")
                .whenScenarioStateIs("applied").willReturn(aResponse().withStatus(204)));

        SyncPipelineHarness.Result outcome = deliver("\"email\":\"a@example.com\"");

        assertThat(outcome.status()).isEqualTo("RESOLVED");
        List<LoggedRequest> upserts = salesforceRequests();
        assertThat(upserts).hasSize(2);
        assertThat(upserts.get(1).getBodyAsString()).isEqualTo(upserts.get(0).getBodyAsString());
        assertThat(FIXTURE.salesforce.upserts(key).get(1).get("Sync_Version__c").asLong()).isEqualTo(3);
        assertThat(FIXTURE.state(key).version()).isEqualTo(3);
    }

    @Test
    void anOpenCircuitSendsTheChangeBackWithoutCountingItAsAnAttempt() {
        FIXTURE.targets.find("platform").orElseThrow().circuitBreaker().reset();
        FIXTURE.platform.stubFor(patch(urlPathMatching(SyncFixture.PLATFORM_PATH + ".+"))
                .willReturn(aResponse().withStatus(503)));
        // 4 failed calls fill the window and open the circuit
        assertThat(PIPELINE.deliver("salesforce", key, "{\"data\":{\"Sync_Version__c\":1,\"Email\":\"a@example.com\"}}")
                .deadLetter().attempts()).isEqualTo(4);
        String next = key + "-next";
        SyncPipelineHarness.Result refused = PIPELINE.deliver("salesforce", next,
                "{\"data\":{\"Sync_Version__c\":1,\"Email\":\"b@example.com\"}}");
        assertThat(refused.requeuedFor()).isInstanceOf(CallNotPermittedException.class);
        assertThat(refused.deadLetter()).isNull();
        assertThat(FIXTURE.platform.findAll(patchRequestedFor(urlEqualTo(SyncFixture.PLATFORM_PATH + next)))).isEmpty();
        FIXTURE.targets.find("platform").orElseThrow().circuitBreaker().reset();
    }

    @Test
    void aRestTargetGetsTheFencingTokenAndARefusedOldTokenIsDecidedAgainNotDeadLettered() {
        // the platform keeps the highest token per record: the first write is refused as older
        FIXTURE.platform.stubFor(patch(urlEqualTo(SyncFixture.PLATFORM_PATH + key)).inScenario("fenced")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(412)
                        .withHeader("Content-Type", "application/json").withBody("{\"code\":\"stale_fencing_token\"}"))
                .willSetStateTo("newer"));

        SyncPipelineHarness.Result outcome = PIPELINE.deliver("salesforce", key,
                "{\"data\":{\"Sync_Version__c\":1,\"Email\":\"a@example.com\"}}");

        assertThat(outcome.status()).isEqualTo("RESOLVED");
        assertThat(outcome.deadLetter()).isNull();
        List<LoggedRequest> writes = FIXTURE.platform.findAll(patchRequestedFor(urlEqualTo(SyncFixture.PLATFORM_PATH + key)));
        assertThat(writes).hasSize(2);
        long first = Long.parseLong(writes.get(0).getHeader("X-Ccbridge-Fencing-Token"));
        long second = Long.parseLong(writes.get(1).getHeader("X-Ccbridge-Fencing-Token"));
        // decided again under a new lock: a newer token, the same content
        assertThat(second).isGreaterThan(first);
        assertThat(writes.get(1).getBodyAsString()).isEqualTo(writes.get(0).getBodyAsString());
        assertThat(FIXTURE.state(key).fenceToken()).isEqualTo(second);
    }

    @Test
    void aRestTargetThatRefusesItsTokenGetsAFreshOneAndTheCallOnceMore() throws Exception {
        FIXTURE.platform.stubFor(patch(urlEqualTo(SyncFixture.PLATFORM_PATH + key)).inScenario("expired")
                .whenScenarioStateIs(STARTED).willReturn(aResponse().withStatus(401)
                        .withHeader("Content-Type", "application/json").withBody("{\"message\":\"token expired\"}"))
                .willSetStateTo("fresh"));
        GuardedTarget platform = FIXTURE.targets.find("platform-oauth").orElseThrow();

        platform.upsert(new TargetWrite("Contact", key, Map.of("email", "a@example.com"), "k-" + key));

        List<LoggedRequest> writes = FIXTURE.platform.findAll(patchRequestedFor(urlEqualTo(SyncFixture.PLATFORM_PATH + key)));
        assertThat(writes).hasSize(2);
        assertThat(writes.get(0).getHeader("Authorization")).startsWith("Bearer token-");
        assertThat(writes.get(1).getHeader("Authorization")).startsWith("Bearer token-")
                .isNotEqualTo(writes.get(0).getHeader("Authorization"));
        assertThat(writes.get(1).getHeader("Idempotency-Key")).isEqualTo(writes.get(0).getHeader("Idempotency-Key"));
    }

    @Test
    void theTargetsTokenBucketSpacesCallsOut() throws Exception {
        try (SyncFixture limited = new SyncFixture(Map.of("ccbridge.crm.targets.platform.rate-limit-per-second", "5"))) {
            GuardedTarget platform = limited.targets.find("platform").orElseThrow();
            long start = System.nanoTime();
            for (int i = 0; i < 11; i++) {
                platform.upsert(new TargetWrite("Contact", key + "-" + i, Map.of("email", "a@example.com"), "k" + i));
            }
            // 5 calls per second: a burst of 5, then one permit every 200 ms; the 11th is the sixth of those
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(1200));
            assertThat(limited.platform.findAll(patchRequestedFor(urlPathMatching(SyncFixture.PLATFORM_PATH + ".+"))))
                    .hasSize(11);
        }
    }

    @Test
    void aRecordLockHeldElsewhereThroughEveryAttemptDefersTheChangeInsteadOfDeadLetteringIt() throws Exception {
        try (SyncFixture impatient = new SyncFixture(Map.of("ccbridge.sync.lock.max-wait", "50ms"))) {
            String event = "{\"data\":{\"version\":1,\"email\":\"a@example.com\"}}";
            RecordChange change = impatient.read("genesys", key, event).orElseThrow();
            FencedLocks otherInstance = new FencedLocks(new JdbcLockStore(new JdbcTemplate(impatient.database),
                    Clock.systemUTC()), impatient.renewals, Clock.systemUTC());
            try (SyncPipelineHarness pipeline = impatient.pipeline()) {
                otherInstance.withLock("#sync:" + change.recordName(), Duration.ofSeconds(10), Duration.ofSeconds(1), held -> {
                    SyncPipelineHarness.Result deferred = pipeline.deliver("genesys", key, event);
                    // our own lock, not the change, kept failing: back to the queue, not to the DLQ
                    assertThat(deferred.requeuedFor()).isInstanceOf(LockNotAcquiredException.class);
                    assertThat(deferred.deadLetter()).isNull();
                    return null;
                });
                assertThat(impatient.salesforce.upsertCount()).isZero();
                assertThat(pipeline.deliver("genesys", key, event).status()).isEqualTo("RESOLVED");
            }
        }
    }

    private SyncPipelineHarness.Result deliver(String fields) {
        return PIPELINE.deliver("genesys", key, "{\"data\":{\"version\":3,\"modifiedAt\":\"2026-11-24T10:00:00Z\","
                + fields + "}}");
    }

    private void failFirst(ResponseDefinitionBuilder failure, int times) {
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).inScenario("fail")
                .whenScenarioStateIs(STARTED).willReturn(failure).willSetStateTo(String.valueOf(times)));
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).inScenario("fail")
                .whenScenarioStateIs("2").willReturn(FakeSalesforce.created()));
        FIXTURE.salesforce.server().stubFor(patch(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)).inScenario("fail")
                .whenScenarioStateIs(String.valueOf(times)).willReturn(FakeSalesforce.created()));
    }

    private List<LoggedRequest> salesforceRequests() {
        return FIXTURE.salesforce.server().findAll(patchRequestedFor(urlEqualTo(FakeSalesforce.UPSERT_PATH + key)));
    }

    private static Duration gap(LoggedRequest first, LoggedRequest second) {
        Date from = first.getLoggedDate();
        Date to = second.getLoggedDate();
        return Duration.ofMillis(to.getTime() - from.getTime());
    }
}
