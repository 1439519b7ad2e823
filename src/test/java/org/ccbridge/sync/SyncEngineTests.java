package org.ccbridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.ccbridge.normalize.InvalidFieldValueException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The engine against its real collaborators: H2 with the application's migrations, JDBC fenced
 * locks, a fake Salesforce (CRM) and a fake platform API (contact center).
 */
class SyncEngineTests {

    private static final SyncFixture FIXTURE = new SyncFixture(Map.of("ccbridge.sync.loop-breaker.max-updates", "4"));
    private static int records;

    private String key;

    @BeforeEach
    void freshRecord() {
        FIXTURE.salesforce.reset();
        FIXTURE.resetPlatform();
        key = "C-" + (++records);
    }

    @AfterAll
    static void close() {
        FIXTURE.close();
    }

    @Test
    void aContactCenterChangeIsWrittenToSalesforceNormalizedWithVersionAndMarker() throws Exception {
        SyncOutcome outcome = FIXTURE.sync("genesys", key, cc(1, "2026-11-24T10:00:00Z",
                "\"phone\":\"202-555-0143\",\"email\":\"  Jane.Doe@Example.COM \""));

        assertThat(outcome.status()).isEqualTo(SyncStatus.RESOLVED);
        List<JsonNode> upserts = FIXTURE.salesforce.upserts(key);
        assertThat(upserts).hasSize(1);
        assertThat(upserts.get(0).get("Phone").asText()).isEqualTo("(202) 555-0143");
        assertThat(upserts.get(0).get("Email").asText()).isEqualTo("jane.doe@example.com");
        assertThat(upserts.get(0).get("Sync_Version__c").asLong()).isEqualTo(1);
        assertThat(upserts.get(0).get("Sync_Source__c").asText()).isEqualTo("ccbridge");
        RecordState state = FIXTURE.state(key);
        assertThat(state.fields()).containsEntry("phone", "+12025550143").containsEntry("email", "jane.doe@example.com");
        assertThat(state.version()).isEqualTo(1);
        assertThat(FIXTURE.platformWrites(key)).isEmpty();
    }

    @Test
    void onlyTheFieldsAnEventCarriesAreWrittenAndAnAbsentFieldIsNeverNulled() throws Exception {
        FIXTURE.sync("genesys", key, cc(1, "2026-11-24T10:00:00Z", "\"phone\":\"2025550143\",\"firstName\":\"Jane\""));
        FIXTURE.sync("genesys", key, cc(2, "2026-11-24T10:01:00Z", "\"email\":\"jane@example.com\""));

        JsonNode second = FIXTURE.salesforce.upserts(key).get(1);
        assertThat(second.has("Email")).isTrue();
        assertThat(second.has("Phone")).isFalse();
        assertThat(second.has("FirstName")).isFalse();
        assertThat(FIXTURE.state(key).fields()).containsEntry("phone", "+12025550143").containsEntry("firstName", "Jane")
                .containsEntry("email", "jane@example.com");
        assertThat(FIXTURE.state(key).version()).isEqualTo(2);
    }

    @Test
    void aSaveThatChangesNoMappedFieldIsANoOpWithoutWriteOrVersionBump() throws Exception {
        FIXTURE.sync("genesys", key, cc(3, "2026-11-24T10:00:00Z", "\"phone\":\"2025550143\""));
        FIXTURE.salesforce.reset();

        // the same value in another spelling, a higher version: nothing transactional happened
        SyncOutcome outcome = FIXTURE.sync("genesys", key, cc(4, "2026-11-24T10:05:00Z", "\"phone\":\"+1 202 555 0143\""));

        assertThat(outcome.status()).isEqualTo(SyncStatus.SKIPPED_NOOP);
        assertThat(FIXTURE.salesforce.upsertCount()).isZero();
        assertThat(FIXTURE.state(key).version()).isEqualTo(3);
        assertThat(FIXTURE.state(key).status()).isEqualTo(SyncStatus.SKIPPED_NOOP);
    }

    @Test
    void theEchoOfOurOwnWriteIsDroppedButAGenuineEditCarryingOurMarkerIsApplied() throws Exception {
        FIXTURE.sync("genesys", key, cc(5, "2026-11-24T10:00:00Z", "\"phone\":\"2025550143\",\"email\":\"a@example.com\""));

        // Salesforce reports the record as we wrote it, marker and version included
        SyncOutcome echo = FIXTURE.sync("salesforce", key, crm(5, "2026-11-24T10:00:02.000+0000",
                "\"Phone\":\"(202) 555-0143\",\"Email\":\"a@example.com\",\"Sync_Source__c\":\"ccbridge\""));
        assertThat(echo.status()).isEqualTo(SyncStatus.SKIPPED_ECHO);
        assertThat(FIXTURE.platformWrites(key)).isEmpty();

        // a CRM user edits the email; the marker field still says ccbridge, the content is new
        SyncOutcome edit = FIXTURE.sync("salesforce", key, crm(6, "2026-11-24T10:03:00.000+0000",
                "\"Phone\":\"(202) 555-0143\",\"Email\":\"b@example.com\",\"Sync_Source__c\":\"ccbridge\""));
        assertThat(edit.status()).isEqualTo(SyncStatus.RESOLVED);
        List<JsonNode> writes = FIXTURE.platformWrites(key);
        assertThat(writes).hasSize(1);
        assertThat(writes.get(0).get("email").asText()).isEqualTo("b@example.com");
        assertThat(writes.get(0).get("syncSource").asText()).isEqualTo("ccbridge");
        assertThat(writes.get(0).get("syncVersion").asLong()).isEqualTo(6);
        // the REST target's configured auth and the write's idempotency key, the same on every retry
        LoggedRequest request = FIXTURE.platform.findAll(patchRequestedFor(urlEqualTo(SyncFixture.PLATFORM_PATH + key))).get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer platform-test-token");
        assertThat(request.getHeader("Idempotency-Key")).startsWith("Contact:" + key + ":v6:");

        // and the platform's echo of that write dies here too
        SyncOutcome platformEcho = FIXTURE.sync("genesys", key, cc(6, "2026-11-24T10:03:01Z",
                "\"phone\":\"+12025550143\",\"email\":\"b@example.com\",\"syncSource\":\"ccbridge\""));
        assertThat(platformEcho.status()).isEqualTo(SyncStatus.SKIPPED_ECHO);
        assertThat(FIXTURE.salesforce.upserts(key)).hasSize(1);
    }

    @Test
    void aCrmUserRevertingToTheValueCcbridgeOnceWroteMakesAGenuineEdit() throws Exception {
        FIXTURE.sync("genesys", key, cc(1, "2026-11-24T10:00:00Z", "\"email\":\"a@example.com\""));
        FIXTURE.sync("salesforce", key, crm(2, "2026-11-24T10:01:00.000+0000", "\"Email\":\"b@example.com\""));

        SyncOutcome revert = FIXTURE.sync("salesforce", key, crm(3, "2026-11-24T10:02:00.000+0000",
                "\"Email\":\"a@example.com\""));

        assertThat(revert.status()).isEqualTo(SyncStatus.RESOLVED);
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "a@example.com");
        assertThat(FIXTURE.platformWrites(key)).extracting(w -> w.get("email").asText())
                .containsExactly("b@example.com", "a@example.com");
    }

    @Test
    void concurrentEditsOfDifferentFieldsMergeAndOnlyFieldsBothChangedConflict() throws Exception {
        FIXTURE.sync("genesys", key, cc(1, "2026-11-24T09:00:00Z", "\"email\":\"base@example.com\",\"phone\":\"2025550100\""));
        // the CRM edits the email at v2; an older contact-center edit of v2 changed the phone only
        FIXTURE.sync("salesforce", key, crm(2, "2026-11-24T10:00:05.000+0000", "\"Email\":\"crm@example.com\""));
        FIXTURE.salesforce.reset();
        FIXTURE.resetPlatform();

        SyncOutcome merged = FIXTURE.sync("genesys", key, cc(2, "2026-11-24T10:00:00Z", "\"phone\":\"2025550199\""));

        assertThat(merged.status()).isEqualTo(SyncStatus.RESOLVED);
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "crm@example.com").containsEntry("phone", "+12025550199");
        assertThat(FIXTURE.salesforce.upserts(key)).extracting(w -> w.get("Phone").asText()).containsExactly("(202) 555-0199");
        assertThat(FIXTURE.platformWrites(key)).isEmpty();

        // the same older edit touching both fields loses the email only; its phone still merges
        String other = key + "-b";
        FIXTURE.sync("genesys", other, cc(1, "2026-11-24T09:00:00Z", "\"email\":\"base@example.com\",\"phone\":\"2025550100\""));
        FIXTURE.sync("salesforce", other, crm(2, "2026-11-24T10:00:05.000+0000", "\"Email\":\"crm@example.com\""));
        SyncOutcome partly = FIXTURE.sync("genesys", other, cc(2, "2026-11-24T10:00:00Z",
                "\"email\":\"agent@example.com\",\"phone\":\"2025550199\""));

        assertThat(partly.status()).isEqualTo(SyncStatus.OVERWRITTEN);
        assertThat(FIXTURE.state(other).fields()).containsEntry("email", "crm@example.com").containsEntry("phone", "+12025550199");
        List<JsonNode> writeBack = FIXTURE.platformWrites(other);
        assertThat(writeBack.get(writeBack.size() - 1).get("email").asText()).isEqualTo("crm@example.com");
        assertThat(writeBack.get(writeBack.size() - 1).has("phone")).isFalse();
        List<JsonNode> toCrm = FIXTURE.salesforce.upserts(other);
        assertThat(toCrm.get(toCrm.size() - 1).get("Phone").asText()).isEqualTo("(202) 555-0199");
        assertThat(toCrm.get(toCrm.size() - 1).has("Email")).isFalse();
    }

    @Test
    void aWriteBackCarriesAnIdempotencyKeyOfItsOwn() throws Exception {
        FIXTURE.sync("salesforce", key, crm(9, "2026-11-24T10:00:05.000+0000", "\"Email\":\"crm@example.com\""));
        FIXTURE.sync("genesys", key, cc(9, "2026-11-24T10:00:00Z", "\"email\":\"old-agent@example.com\""));

        List<LoggedRequest> writes = FIXTURE.platform.findAll(patchRequestedFor(urlEqualTo(SyncFixture.PLATFORM_PATH + key)));
        assertThat(writes).hasSize(2);
        assertThat(writes.get(1).getHeader("Idempotency-Key")).isNotEqualTo(writes.get(0).getHeader("Idempotency-Key"));
    }

    @Test
    void aDecisionOnAnOutdatedItemMustStateItsFields() throws Exception {
        FIXTURE.sync("salesforce", key, crm(11, "2026-11-24T10:00:00.000+0000", "\"Email\":\"first@example.com\""));
        SyncOutcome flagged = FIXTURE.sync("salesforce", key, crm(11, "2026-11-24T10:00:00.600+0000",
                "\"Email\":\"second@example.com\""));
        FIXTURE.sync("salesforce", key, crm(12, "2026-11-24T10:05:00.000+0000", "\"Email\":\"later@example.com\""));
        ReviewItem item = FIXTURE.reviews.find(flagged.reviewId()).orElseThrow();

        assertThatThrownBy(() -> FIXTURE.engine.applyDecision(item, ReviewItem.Decision.STORED, item.storedFields(), "ops"))
                .isInstanceOf(ReviewOutdatedException.class);
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "later@example.com");
        FIXTURE.engine.applyDecision(item, ReviewItem.Decision.MERGED, Map.of("email", "chosen@example.com"), "ops");
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "chosen@example.com");
    }

    @Test
    void theRecordKeyComesFromTheObjectsKeyFieldsNotFromAnInteractionId() {
        assertThatThrownBy(() -> FIXTURE.reader.read("genesys", "e1", java.time.Instant.now(),
                "{\"data\":{\"conversationId\":\"conv-1\",\"disposition\":\"resolved\"}}".getBytes()))
                .isInstanceOf(UnsyncableEventException.class).hasMessageContaining("names no record");
        // an event without a mapped field is not a change, whatever ids it carries
        assertThat(FIXTURE.reader.read("genesys", "e2", java.time.Instant.now(),
                "{\"data\":{\"conversationId\":\"conv-1\",\"queue\":\"sales\"}}".getBytes())).isEmpty();
    }

    @Test
    void aRecordKeyNoStoreCanKeepIsUnsyncableAtOnceAndTheLongestThatFitsSyncs() throws Exception {
        String tooLong = "k".repeat(256);
        assertThatThrownBy(() -> FIXTURE.read("genesys", tooLong, "{\"data\":{\"version\":1,\"email\":\"a@example.com\"}}"))
                .isInstanceOf(UnsyncableEventException.class).hasMessage("the record key is longer than 255 characters");
        // 255 characters fit the record state, and "#sync:Contact:<key>" the lock table
        String longest = "L" + UUID.randomUUID().toString().replace("-", "") + "x".repeat(222);
        assertThat(FIXTURE.sync("genesys", longest, "{\"data\":{\"version\":1,\"email\":\"a@example.com\"}}").status())
                .isEqualTo(SyncStatus.RESOLVED);
    }

    @Test
    void anOlderVersionIsStale() throws Exception {
        FIXTURE.sync("genesys", key, cc(7, "2026-11-24T10:00:00Z", "\"email\":\"new@example.com\""));
        SyncOutcome outcome = FIXTURE.sync("salesforce", key, crm(6, "2026-11-24T11:00:00.000+0000",
                "\"Email\":\"old@example.com\""));
        assertThat(outcome.status()).isEqualTo(SyncStatus.SKIPPED_STALE);
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "new@example.com");
        assertThat(FIXTURE.platformWrites(key)).isEmpty();
    }

    @Test
    void equalVersionsFarApartTheNewerWinsAndOverwritesTheOtherSide() throws Exception {
        FIXTURE.sync("genesys", key, cc(8, "2026-11-24T10:00:00Z", "\"email\":\"agent@example.com\""));
        SyncOutcome outcome = FIXTURE.sync("salesforce", key, crm(8, "2026-11-24T10:00:05.000+0000",
                "\"Email\":\"crm@example.com\""));
        assertThat(outcome.status()).isEqualTo(SyncStatus.OVERWRITTEN);
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "crm@example.com");
        assertThat(FIXTURE.platformWrites(key)).extracting(write -> write.get("email").asText())
                .containsExactly("crm@example.com");
    }

    @Test
    void whenTheStoredEditWinsItIsWrittenBackToTheLosingSide() throws Exception {
        FIXTURE.sync("genesys", key, cc(9, "2026-11-24T10:00:05Z", "\"email\":\"agent@example.com\""));
        FIXTURE.salesforce.reset();
        SyncOutcome outcome = FIXTURE.sync("salesforce", key, crm(9, "2026-11-24T10:00:00.000+0000",
                "\"Email\":\"older-crm@example.com\""));
        assertThat(outcome.status()).isEqualTo(SyncStatus.OVERWRITTEN);
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "agent@example.com");
        List<JsonNode> writeBack = FIXTURE.salesforce.upserts(key);
        assertThat(writeBack).hasSize(1);
        assertThat(writeBack.get(0).get("Email").asText()).isEqualTo("agent@example.com");
        assertThat(FIXTURE.platformWrites(key)).isEmpty();
    }

    @Test
    void withinTheToleranceTheAgentBeatsTheCrmByTheSourceHierarchy() throws Exception {
        FIXTURE.sync("salesforce", key, crm(10, "2026-11-24T10:00:00.400+0000", "\"Email\":\"crm@example.com\""));
        SyncOutcome outcome = FIXTURE.sync("genesys", key, cc(10, "2026-11-24T10:00:00Z", "\"email\":\"agent@example.com\""));
        assertThat(outcome.status()).isEqualTo(SyncStatus.OVERWRITTEN);
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "agent@example.com");
    }

    @Test
    void anUndecidableConflictIsFlaggedNeverWrittenAndTheDecisionIsAppliedToBothSides() throws Exception {
        FIXTURE.sync("salesforce", key, crm(11, "2026-11-24T10:00:00.000+0000", "\"Email\":\"first@example.com\""));
        FIXTURE.resetPlatform();
        SyncOutcome flagged = FIXTURE.sync("salesforce", key, crm(11, "2026-11-24T10:00:00.600+0000",
                "\"Email\":\"second@example.com\""));

        assertThat(flagged.status()).isEqualTo(SyncStatus.FLAGGED);
        assertThat(FIXTURE.platformWrites(key)).isEmpty();
        assertThat(FIXTURE.salesforce.upsertCount()).isZero();
        ReviewItem item = FIXTURE.reviews.find(flagged.reviewId()).orElseThrow();
        assertThat(item.kind()).isEqualTo(ReviewItem.Kind.CONFLICT);
        assertThat(item.storedFields()).containsEntry("email", "first@example.com");
        assertThat(item.incomingFields()).containsEntry("email", "second@example.com");
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "first@example.com");

        SyncOutcome decided = FIXTURE.engine.applyDecision(item, ReviewItem.Decision.INCOMING, item.incomingFields(), "ops");

        assertThat(decided.status()).isEqualTo(SyncStatus.RESOLVED);
        assertThat(FIXTURE.state(key).fields()).containsEntry("email", "second@example.com");
        assertThat(FIXTURE.state(key).version()).isEqualTo(12);
        assertThat(FIXTURE.salesforce.upserts(key)).extracting(w -> w.get("Sync_Version__c").asLong()).containsExactly(12L);
        assertThat(FIXTURE.platformWrites(key)).extracting(w -> w.get("email").asText()).containsExactly("second@example.com");
        assertThat(FIXTURE.reviews.find(item.id()).orElseThrow().state()).isEqualTo(ReviewItem.State.DECIDED);
        assertThatThrownBy(() -> FIXTURE.engine.applyDecision(item, ReviewItem.Decision.STORED, item.storedFields(), "ops"))
                .isInstanceOf(ReviewAlreadyDecidedException.class);
    }

    @Test
    void theLoopBreakerHaltsARecordThatChangesTooOftenUntilAReviewDecision() throws Exception {
        for (int version = 1; version <= 4; version++) {
            assertThat(FIXTURE.sync("genesys", key, cc(version, "2026-11-24T10:00:0" + version + "Z",
                    "\"firstName\":\"v" + version + "\"")).status()).isEqualTo(SyncStatus.RESOLVED);
        }
        SyncOutcome fifth = FIXTURE.sync("genesys", key, cc(5, "2026-11-24T10:00:05Z", "\"firstName\":\"v5\""));
        assertThat(fifth.status()).isEqualTo(SyncStatus.FLAGGED);
        assertThat(FIXTURE.state(key).halted()).isTrue();
        assertThat(FIXTURE.salesforce.upserts(key)).hasSize(4);

        SyncOutcome sixth = FIXTURE.sync("genesys", key, cc(6, "2026-11-24T10:00:06Z", "\"firstName\":\"v6\""));
        assertThat(sixth.status()).isEqualTo(SyncStatus.FLAGGED);
        assertThat(FIXTURE.salesforce.upserts(key)).hasSize(4);
        ReviewItem loop = FIXTURE.reviews.find(sixth.reviewId()).orElseThrow();
        assertThat(loop.kind()).isEqualTo(ReviewItem.Kind.LOOP);

        FIXTURE.engine.applyDecision(loop, ReviewItem.Decision.INCOMING, loop.incomingFields(), "ops");
        assertThat(FIXTURE.state(key).halted()).isFalse();
        assertThat(FIXTURE.reviews.openFor("Contact", key)).isEmpty();
        assertThat(FIXTURE.sync("genesys", key, cc(9, "2026-11-24T10:01:00Z", "\"firstName\":\"after\"")).status())
                .isEqualTo(SyncStatus.RESOLVED);
    }

    @Test
    void anInvalidPhoneIsParkedNotSentAndVisibleWithFieldAndReason() throws Exception {
        String body = cc(1, "2026-11-24T10:00:00Z", "\"phone\":\"555-12\",\"email\":\"x@example.com\"");
        InvalidChangeException invalid = org.junit.jupiter.api.Assertions.assertThrows(InvalidChangeException.class,
                () -> FIXTURE.read("genesys", key, body));
        SyncOutcome parked = FIXTURE.engine.parkInvalid(invalid.change(), invalid.field(), invalid.reason());

        assertThat(parked.status()).isEqualTo(SyncStatus.INVALID);
        assertThat(FIXTURE.salesforce.upsertCount()).isZero();
        RecordState state = FIXTURE.state(key);
        assertThat(state.status()).isEqualTo(SyncStatus.INVALID);
        assertThat(state.statusReason()).contains("field phone").doesNotContain("555-12");
        ReviewItem item = FIXTURE.reviews.find(parked.reviewId()).orElseThrow();
        assertThat(item.kind()).isEqualTo(ReviewItem.Kind.INVALID);
        assertThat(item.incomingFields()).containsEntry("phone", "555-12");

        // an operator corrects the number; the decision goes through the same path
        FIXTURE.engine.applyDecision(item, ReviewItem.Decision.MERGED,
                Map.of("phone", "+12025550143", "email", "x@example.com"), "ops");
        assertThat(FIXTURE.salesforce.upserts(key)).extracting(w -> w.get("Phone").asText()).containsExactly("(202) 555-0143");
    }

    @Test
    void aValueThatFailsTheTargetFieldsPatternIsParkedAndNothingIsSent() throws Exception {
        try (SyncFixture strict = new SyncFixture(Map.of("ccbridge.sync.objects[Contact].fields[1].crm-pattern",
                "\\(\\d{3}\\) \\d{3}-\\d{4}"))) {
            // a valid UK number has no US national mask
            SyncOutcome outcome = strict.sync("genesys", key, cc(1, "2026-11-24T10:00:00Z", "\"phone\":\"+44 20 7946 0958\""));
            assertThat(outcome.status()).isEqualTo(SyncStatus.INVALID);
            assertThat(strict.salesforce.upsertCount()).isZero();
            assertThat(strict.state(key).statusReason()).contains("field phone").contains("pattern");

            // an operator's decision with a value that fails the pattern is refused, the item stays open
            ReviewItem item = strict.reviews.find(outcome.reviewId()).orElseThrow();
            assertThatThrownBy(() -> strict.engine.applyDecision(item, ReviewItem.Decision.MERGED,
                    Map.of("phone", "+442079460958"), "ops")).isInstanceOf(InvalidFieldValueException.class);
            assertThat(strict.reviews.find(item.id()).orElseThrow().state()).isEqualTo(ReviewItem.State.OPEN);
            assertThat(strict.salesforce.upsertCount()).isZero();
        }
    }

    private static String cc(long version, String modifiedAt, String fields) {
        return "{\"type\":\"contact.updated\",\"data\":{\"version\":" + version + ",\"modifiedAt\":\"" + modifiedAt
                + "\"," + fields + "}}";
    }

    private static String crm(long version, String lastModified, String fields) {
        return "{\"data\":{\"attributes\":{\"type\":\"Contact\"},\"Sync_Version__c\":" + version
                + ",\"LastModifiedDate\":\"" + lastModified + "\"," + fields + "}}";
    }
}
