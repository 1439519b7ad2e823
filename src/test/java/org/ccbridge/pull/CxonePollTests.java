package org.ccbridge.pull;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;


import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.dedup.Claim;
import org.ccbridge.dedup.DedupStore;
import org.ccbridge.ingress.WebhookSources;
import org.ccbridge.support.FakeCxone;

/**
 * A {@code cxone-poll} source against a fake CXone: states read in order and accepted once, the
 * cursor moved only once a page is durable, a page read again dropped as duplicates, 304, 429 with
 * Retry-After, a refused token, a failing platform, and a poll that fails between fetch and publish.
 */
class CxonePollTests extends PulledSourceTestSupport {

    private static final String ROUTE = "cxone-poll-" + CXONE_POLL_SOURCE;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PullCursors cursors;

    @Autowired
    DedupStore dedup;

    @Autowired
    WebhookSources sources;

    @Autowired
    ObjectMapper json;

    /** This test's own times, so that no cursor of another test matches its pages. */
    private Instant base;

    @BeforeEach
    void aQuietPlatformAndACursor() {
        FakeCxone.reset();
        base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(ThreadLocalRandom.current().nextInt(1, 1_000_000),
                ChronoUnit.SECONDS);
        startAt(at(0));
        queues.purgeAll();
    }

    @AfterEach
    void quiet() throws Exception {
        FakeCxone.reset();
        templatedRoutes.recreate(List.of("cxone-poll")); // undoes a test's advice
    }

    @Test
    void statesAreAcceptedInOrderOnceAndTheCursorFollowsThePages() {
        FakeCxone.page(at(0), at(10),
                FakeCxone.state("C-1", "Active", at(1)),
                FakeCxone.state("C-2", "Active", at(2)),
                FakeCxone.state("C-1", "Wrapup", at(3)));
        // CXone repeats a state changed at the page's boundary in the next page
        FakeCxone.page(at(10), at(20),
                FakeCxone.state("C-1", "Wrapup", at(3)),
                FakeCxone.state("C-2", "EndContact", at(12)));

        awaitCursor(at(20));

        assertThat(idsOn(BrokerTopology.VOICE_QUEUE)).containsExactly(
                id("C-1", 1), id("C-2", 2), id("C-1", 3), id("C-2", 12));
        assertThat(FakeCxone.polls()).extracting(poll -> poll.queryParameter("updatedSince").firstValue())
                .as("each page asked for once its cursor was stored").contains(at(0), at(10), at(20));
        assertThat(FakeCxone.polls()).allSatisfy(poll ->
                assertThat(poll.getHeader("Authorization")).startsWith("Bearer "));
        assertThat(connected(CXONE_POLL_SOURCE)).isEqualTo(1.0);
        assertThat(meters.get("ccbridge.pull.lag").tag("source", CXONE_POLL_SOURCE).gauge().value())
                .as("lag: now minus the stored lastPollTime").isGreaterThan(0.0);
    }

    @Test
    void aSlowFetchLeavesThePublishItsOwnTime() {
        // longer than the webhook acknowledgment budget of this context (2 s), which a pulled
        // event has no use for: no platform waits for its answer
        FakeCxone.SERVER.stubFor(FakeCxone.poll(at(0)).atPriority(1).willReturn(FakeCxone.pageAnswer(at(10),
                FakeCxone.state("C-21", "Active", at(1)), FakeCxone.state("C-22", "Active", at(2))).withFixedDelay(2_500)));

        awaitCursor(at(10));

        assertThat(polledAt(at(0))).as("accepted at the first poll").hasSize(1);
        assertThat(idsOn(BrokerTopology.VOICE_QUEUE)).containsExactly(id("C-21", 1), id("C-22", 2));
    }

    @Test
    void aPageWithoutChangesLeavesTheCursor() throws Exception {
        // the fake answers 304 to every poll
        await().atMost(Duration.ofSeconds(5)).until(() -> polledAt(at(0)).size() >= 3);

        assertThat(cursors.read(CXONE_POLL_SOURCE)).contains(at(0));
        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).isEmpty();
    }

    @Test
    void aThrottledPollWaitsForRetryAfter() {
        FakeCxone.answersInTurn(at(0),
                aResponse().withStatus(429).withHeader("Retry-After", "2").withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"Too many requests\"}"),
                FakeCxone.pageAnswer(at(10), FakeCxone.state("C-7", "Active", at(5))));

        awaitCursor(at(10));

        List<LoggedRequest> polls = polledAt(at(0));
        Duration waited = Duration.between(polls.get(0).getLoggedDate().toInstant(),
                polls.get(1).getLoggedDate().toInstant());
        assertThat(waited).as("the next poll came after the Retry-After, not the 200 ms interval")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
        assertThat(idsOn(BrokerTopology.VOICE_QUEUE)).containsExactly(id("C-7", 5));
    }

    @Test
    void aRefusedTokenIsRenewedAndThePollAskedAgain() {
        FakeCxone.SERVER.stubFor(post(urlPathEqualTo(FakeCxone.TOKEN_PATH))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"cxone-token-renewed\",\"expires_in\":3600}")));
        FakeCxone.answersInTurn(at(0),
                aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":\"invalid_token\",\"error_description\":\"Token expired\"}"),
                FakeCxone.pageAnswer(at(10), FakeCxone.state("C-8", "Active", at(4))));

        awaitCursor(at(10));

        List<LoggedRequest> polls = polledAt(at(0));
        assertThat(polls.get(1).getHeader("Authorization")).as("asked again with a new token")
                .isEqualTo("Bearer cxone-token-renewed");
        assertThat(FakeCxone.SERVER.findAll(postRequestedFor(urlPathEqualTo(FakeCxone.TOKEN_PATH)))).hasSize(1);
        assertThat(idsOn(BrokerTopology.VOICE_QUEUE)).containsExactly(id("C-8", 4));
    }

    @Test
    void aFailingPlatformLeavesTheCursorAndTheNextPollReconnects() {
        double reconnectsBefore = counted("ccbridge.pull.reconnects", CXONE_POLL_SOURCE);
        FakeCxone.answersInTurn(at(0),
                aResponse().withStatus(502).withHeader("Content-Type", "text/html").withBody("<html>Bad Gateway</html>"),
                aResponse().withStatus(500),
                FakeCxone.pageAnswer(at(10), FakeCxone.state("C-9", "Active", at(6))));

        awaitCursor(at(10));

        assertThat(polledAt(at(0))).as("two failed polls, then the page").hasSize(3);
        assertThat(idsOn(BrokerTopology.VOICE_QUEUE)).containsExactly(id("C-9", 6));
        assertThat(counted("ccbridge.pull.reconnects", CXONE_POLL_SOURCE) - reconnectsBefore)
                .as("one reconnect after the failed polls").isEqualTo(1.0);
    }

    @Test
    void aPollThatFailsBetweenFetchAndPublishLosesNothing() throws Exception {
        AtomicInteger handedOver = new AtomicInteger();
        // the first poll dies after its first event was accepted, before the second is published
        beforeAcceptance(ROUTE, exchange -> {
            if (handedOver.incrementAndGet() == 2) {
                throw new IllegalStateException("the instance went away between fetch and publish");
            }
        });
        FakeCxone.page(at(0), at(10),
                FakeCxone.state("C-11", "Active", at(1)),
                FakeCxone.state("C-12", "Active", at(2)),
                FakeCxone.state("C-13", "Active", at(3)));

        awaitCursor(at(10));

        assertThat(polledAt(at(0))).as("the page was read again").hasSizeGreaterThanOrEqualTo(2);
        assertThat(idsOn(BrokerTopology.VOICE_QUEUE)).as("each event once, the first not twice")
                .containsExactly(id("C-11", 1), id("C-12", 2), id("C-13", 3));
    }

    @Test
    void anEventAnotherDeliveryIsAcceptingHoldsTheCursorUntilItIsDone() throws Exception {
        String state = FakeCxone.state("C-31", "Active", at(1));
        String event = CxonePolls.eventOf(json, sources.find(CXONE_POLL_SOURCE).orElseThrow().settings().pull(),
                json.readTree(state), "C-31", at(1));
        String key = CXONE_POLL_SOURCE + ":C-31:" + at(1);
        // another delivery holds the event's claim: pulled-ingress answers 409 in flight
        Claim held = dedup.claim(key, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(event.getBytes(StandardCharsets.UTF_8))), Duration.ofSeconds(30));
        double reconnectsBefore = counted("ccbridge.pull.reconnects", CXONE_POLL_SOURCE);
        FakeCxone.page(at(0), at(10), FakeCxone.state("C-30", "Active", at(0)), state);

        await().atMost(Duration.ofSeconds(5)).until(() -> polledAt(at(0)).size() >= 3);
        assertThat(cursors.read(CXONE_POLL_SOURCE)).as("the page is not done").contains(at(0));
        assertThat(connected(CXONE_POLL_SOURCE))
                .as("the failed polls were handled as such").isZero();
        dedup.release(key, held.token());

        awaitCursor(at(10));
        assertThat(idsOn(BrokerTopology.VOICE_QUEUE)).containsExactly(id("C-30", 0), id("C-31", 1));
        assertThat(counted("ccbridge.pull.reconnects", CXONE_POLL_SOURCE) - reconnectsBefore).isEqualTo(1.0);
    }

    @Test
    void aStateThatMakesNoEventIsSkippedAndCounted() {
        double unusableBefore = counted("ccbridge.pull.unusable", CXONE_POLL_SOURCE);
        FakeCxone.page(at(0), at(10),
                FakeCxone.state("C-4" + "1".repeat(200), "Active", at(1)), // an event id over 190 bytes
                FakeCxone.state("C-42", "Active", at(2)));

        awaitCursor(at(10));

        assertThat(idsOn(BrokerTopology.VOICE_QUEUE)).containsExactly(id("C-42", 2));
        assertThat(counted("ccbridge.pull.unusable", CXONE_POLL_SOURCE) - unusableBefore).isEqualTo(1.0);
    }

    @Test
    void aSourceWithoutACursorStoresItsFirstOne() {
        jdbc.update("DELETE FROM ccbridge_pull_cursors WHERE source = ?", CXONE_POLL_SOURCE);
        Instant asked = Instant.now();

        await().atMost(Duration.ofSeconds(5)).until(() -> cursors.read(CXONE_POLL_SOURCE).isPresent());

        Instant first = Instant.parse(cursors.read(CXONE_POLL_SOURCE).orElseThrow());
        assertThat(first).as("the lookback, 5 minutes, before the first poll")
                .isBetween(asked.minus(Duration.ofMinutes(5)).minusSeconds(1), asked.minus(Duration.ofMinutes(5)).plusSeconds(5));
        await().atMost(Duration.ofSeconds(5)).until(() -> polledAt(first.toString()).size() >= 2);
        assertThat(cursors.read(CXONE_POLL_SOURCE)).as("kept while CXone has no news").contains(first.toString());
    }

    @Test
    void aCursorWrittenUnderANewerLeaseIsNotMovedBack() {
        cursors.advance("fencing-demo", at(10), 7);

        assertThatThrownBy(() -> cursors.advance("fencing-demo", at(5), 6))
                .isInstanceOf(StaleLeaseException.class);
        cursors.advance("fencing-demo", at(20), 7);
        assertThat(cursors.read("fencing-demo")).contains(at(20));
        jdbc.update("DELETE FROM ccbridge_pull_cursors WHERE source = 'fencing-demo'");
    }

    private String at(int seconds) {
        return base.plusSeconds(seconds).toString();
    }

    private String id(String contactId, int seconds) {
        return CXONE_POLL_SOURCE + ":" + contactId + ":" + at(seconds);
    }

    /** Puts the source's cursor at {@code cursor}, as a previous run of the source would have left it. */
    private void startAt(String cursor) {
        if (jdbc.update("UPDATE ccbridge_pull_cursors SET cursor_value = ? WHERE source = ?", cursor, CXONE_POLL_SOURCE) == 0) {
            jdbc.update("INSERT INTO ccbridge_pull_cursors (source, cursor_value, fencing_token, updated_at) "
                    + "VALUES (?, ?, 0, CURRENT_TIMESTAMP)", CXONE_POLL_SOURCE, cursor);
        }
    }

    private void awaitCursor(String cursor) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> cursors.read(CXONE_POLL_SOURCE).orElse(""), cursor::equals);
    }

    private static List<LoggedRequest> polledAt(String cursor) {
        return FakeCxone.polls().stream()
                .filter(poll -> cursor.equals(poll.queryParameter("updatedSince").firstValue())).toList();
    }

    private List<String> idsOn(String queue) {
        return queues.drain(queue).stream().map(Message::getMessageProperties)
                .map(properties -> (String) properties.getMessageId()).toList();
    }
}
