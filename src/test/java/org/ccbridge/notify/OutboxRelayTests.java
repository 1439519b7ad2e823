package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.RateLimits;
import org.ccbridge.normalize.PhoneNumbers;
import org.ccbridge.normalize.ValueNormalizer;
import org.ccbridge.support.FakeNotificationProvider;
import org.ccbridge.support.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay, its ledger and dedup windows against WireMock providers that deduplicate by
 * idempotency key and count deliveries; the subclasses run it on H2 and on PostgreSQL, whose
 * FOR UPDATE SKIP LOCKED differ in practice. Customer ids are unique per test, so that rows other
 * runs left in a shared database never share a dedup window with this test's.
 */
abstract class OutboxRelayTests {

    private final FakeNotificationProvider primary = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
    private final FakeNotificationProvider secondary = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
    private final String run = UUID.randomUUID().toString();
    private final List<String> mine = new ArrayList<>();
    private final List<OutboxRelay> relays = new ArrayList<>();
    private final List<SendRoutes> sendRoutes = new ArrayList<>();
    private HikariDataSource database;
    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private NotificationOutbox outbox;

    @BeforeEach
    void start() {
        database = database();
        jdbc = new JdbcTemplate(database);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
        outbox = new NotificationOutbox(jdbc, transactions, new ValueNormalizer(new PhoneNumbers("US")), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        relays.forEach(OutboxRelay::close);
        sendRoutes.forEach(SendRoutes::close);
        // a shared database keeps none of this test's rows, pending ones least: other relays would send them
        deleteNotificationsOf(jdbc, run);
        primary.close();
        secondary.close();
        database.close();
    }

    @Test
    void eachPendingRowIsSentOnceWithItsIdAsTheIdempotencyKey() throws Exception {
        List<String> ids = enqueue(5);

        drain(relay(Map.of()));

        List<LoggedRequest> sent = primary.requestsFor(ids);
        assertThat(sent).extracting(primary::keyOf).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sent.get(0).getBodyAsString()).contains("\"to\":\"+12025550143\"");
        ids.forEach(id -> assertThat(primary.deliveries(id)).isEqualTo(1));
        assertThat(statuses()).containsOnly("SENT");
        assertThat(ledger(ids.get(0))).containsExactly("primary:ACCEPTED");
    }

    @Test
    void twoRelaysOnTheSameOutboxSendEveryRowOnce() throws Exception {
        List<String> ids = enqueue(200);
        Map<String, String> settings = Map.of("ccbridge.notify.relay.batch-size", "10",
                "ccbridge.notify.relay.concurrency", "4");
        int total = relayConcurrently(relay(settings), relay(settings));

        assertThat(total).isGreaterThanOrEqualTo(200);
        // not one request more than rows: no row was sent by both relays
        assertThat(primary.requestsFor(ids)).extracting(primary::keyOf).hasSize(200).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(statuses()).containsOnly("SENT");
    }

    @Test
    void aRelayThatDiedMidBatchLeavesItsRowsToTheNextOneAfterTheLease() throws Exception {
        List<String> ids = enqueue(3);
        SettableClock clock = leaseClock();
        OutboxRelay dies = relay(Map.of("ccbridge.notify.relay.lease", "200ms"), clock);
        assertThat(dies.claim()).hasSize(3); // claimed, then the process is gone

        OutboxRelay next = relay(Map.of(), clock);
        drain(next);
        assertThat(primary.requestsFor(ids)).isEmpty(); // leased to the dead relay still
        advance(clock, 300);
        drain(next);
        assertThat(primary.requestsFor(ids)).extracting(primary::keyOf).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void crashAfterTheProviderAcceptedResendsTheSameKeyAndTheProviderDeliversOnce() throws Exception {
        String id = enqueue(1).get(0);
        AtomicBoolean crashed = new AtomicBoolean();
        SettableClock clock = leaseClock();
        Map<String, ChannelRoute> channels = providers(settings(Map.of()));
        OutboxRelay crashing = new OutboxRelay(jdbc, transactions, settings(Map.of("ccbridge.notify.relay.lease", "300ms"))
                .relay(), channels, ledger(), windows(settings(Map.of())), clock, routesFor(channels)) {
            @Override
            void record(List<OutboxOutcomes.Outcome> batch) {
                if (batch.stream().anyMatch(outcome -> outcome.kind() == OutboxOutcomes.Kind.SENT)) {
                    crashed.set(true);
                    throw new IllegalStateException("the process died before it recorded the send");
                }
                super.record(batch);
            }
        };
        relays.add(crashing);
        assertThatThrownBy(crashing::relayOnce).hasMessageContaining("process died");
        assertThat(crashed).isTrue();
        assertThat(primary.deliveries(id)).isEqualTo(1);
        assertThat(statuses()).containsExactly("PENDING");

        advance(clock, 400); // the dead relay's lease runs out
        drain(relay(Map.of(), clock));

        List<LoggedRequest> requests = primary.requestsFor(List.of(id));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).getBodyAsString()).isEqualTo(requests.get(0).getBodyAsString());
        assertThat(primary.deliveries(id)).isEqualTo(1);
        assertThat(statuses()).containsExactly("SENT");
        // the dead relay's call stays on record as what it is: sent, outcome never known
        assertThat(ledger(id)).containsExactly("primary:IN_FLIGHT", "primary:ACCEPTED");
    }

    @Test
    void aResendGoesFirstToTheProviderThatMayHaveTheMessage() throws Exception {
        primary.fail(503);
        String id = enqueue(1).get(0);
        Map<String, String> withSecondary = Map.of("ccbridge.notify.channels.sms.secondary", "secondary",
                "ccbridge.notify.relay.lease", "300ms");
        SettableClock clock = leaseClock();
        Map<String, ChannelRoute> channels = providers(settings(withSecondary));
        OutboxRelay crashing = new OutboxRelay(jdbc, transactions, settings(withSecondary).relay(), channels, ledger(),
                windows(settings(withSecondary)), clock, routesFor(channels)) {
            @Override
            void record(List<OutboxOutcomes.Outcome> batch) {
                if (batch.stream().anyMatch(outcome -> outcome.kind() == OutboxOutcomes.Kind.SENT)) {
                    throw new IllegalStateException("the process died after the secondary accepted");
                }
                super.record(batch);
            }
        };
        relays.add(crashing);
        assertThatThrownBy(crashing::relayOnce).hasMessageContaining("process died");
        primary.accept(); // the primary is back by the time the row is sent again

        advance(clock, 400);
        drain(relay(withSecondary, clock));

        // had the resend gone to the healthy primary, the customer would have had it twice
        assertThat(primary.requestsFor(List.of(id))).hasSize(1);
        assertThat(primary.deliveries(id)).isZero();
        assertThat(secondary.requestsFor(List.of(id))).hasSize(2);
        assertThat(secondary.deliveries(id)).isEqualTo(1);
        assertThat(ledger(id)).containsExactly("primary:FAILED", "secondary:IN_FLIGHT", "secondary:ACCEPTED");
        assertThat(statuses()).containsExactly("SENT");
    }

    @Test
    void aLeaseThatRunsOutMidSendLetsTheNextRelaySendTheSameKeyToTheSameProvider() throws Exception {
        primary.acceptButAnswerAfter(800);
        String id = enqueue(1).get(0);
        SettableClock clock = leaseClock();
        OutboxRelay slow = relay(Map.of("ccbridge.notify.relay.lease", "300ms",
                "ccbridge.notify.providers.primary.timeout", "3s"), clock);
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<Integer> slowSend = background.submit(slow::relayOnce);
        for (int i = 0; i < 100 && primary.requestsFor(List.of(id)).isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertThat(primary.requestsFor(List.of(id))).hasSize(1); // the slow relay's call is out
        advance(clock, 400); // and its lease has run out

        drain(relay(Map.of("ccbridge.notify.providers.primary.timeout", "3s"), clock));
        slowSend.get();
        background.shutdown();

        assertThat(primary.requestsFor(List.of(id))).hasSize(2);
        assertThat(primary.deliveries(id)).isEqualTo(1);
        assertThat(statuses()).containsExactly("SENT");
        assertThat(ledger(id)).containsExactly("primary:ACCEPTED", "primary:ACCEPTED");
    }

    @Test
    void withoutFallbackOnUncertainAPrimaryThatMayHaveDeliveredIsAskedAgainNotTheSecondary() throws Exception {
        primary.acceptButAnswerAfter(1_500); // longer than the 1 s timeout
        String id = enqueue(1).get(0);
        OutboxRelay relay = relay(Map.of("ccbridge.notify.channels.sms.secondary", "secondary",
                "ccbridge.notify.channels.sms.fallback-on-uncertain", "false",
                "ccbridge.notify.relay.initial-backoff", "20ms", "ccbridge.notify.relay.max-backoff", "40ms"));

        // One pass, not a drain: the 20 ms backoff can run out before a drain's next pass, which
        // would ask the still-slow primary a second time.
        assertThat(relay.relayOnce()).isEqualTo(1);
        assertThat(secondary.requestsFor(List.of(id))).isEmpty();
        assertThat(statuses()).containsExactly("PENDING");
        primary.accept();
        for (int i = 0; i < 20 && statuses().contains("PENDING"); i++) {
            Thread.sleep(50);
            drain(relay);
        }

        assertThat(primary.deliveries(id)).isEqualTo(1);
        assertThat(secondary.requestsFor(List.of(id))).isEmpty();
        assertThat(ledger(id)).containsExactly("primary:UNCERTAIN", "primary:ACCEPTED");
        assertThat(statuses()).containsExactly("SENT");
    }

    @Test
    void aPrimaryThatTimesOutAfterDeliveringIsRecordedAsUncertainAndTheSecondaryTakesOver() throws Exception {
        primary.acceptButAnswerAfter(2_500); // longer than the 1 s timeout
        String id = enqueue(1).get(0);

        drain(relay(Map.of("ccbridge.notify.channels.sms.secondary", "secondary")));

        assertThat(primary.deliveries(id)).isEqualTo(1);
        assertThat(secondary.deliveries(id)).isEqualTo(1);
        LoggedRequest first = primary.requestsFor(List.of(id)).get(0);
        LoggedRequest second = secondary.requestsFor(List.of(id)).get(0);
        assertThat(secondary.keyOf(second)).isEqualTo(primary.keyOf(first)).isEqualTo(id);
        assertThat(second.getBodyAsString()).isEqualTo(first.getBodyAsString());
        assertThat(ledger(id)).containsExactly("primary:UNCERTAIN", "secondary:ACCEPTED");
        assertThat(statuses()).containsExactly("SENT");
    }

    @Test
    void anOpenPrimaryCircuitSendsStraightToTheSecondary() throws Exception {
        primary.fail(503);
        List<String> ids = enqueue(3);
        OutboxRelay relay = relay(primaryCircuitOpeningAfterTwoFailures(Map.of(
                "ccbridge.notify.channels.sms.secondary", "secondary")));

        drain(relay);

        // the first two failures open the primary's circuit; the third goes to the secondary alone
        assertThat(primary.requestsFor(ids)).hasSize(2);
        assertThat(secondary.requestsFor(ids)).extracting(secondary::keyOf).containsExactlyInAnyOrderElementsOf(ids);
        long straightToSecondary = ids.stream().filter(id -> ledger(id).equals(List.of("secondary:ACCEPTED"))).count();
        assertThat(straightToSecondary).isEqualTo(1);
        assertThat(statuses()).containsOnly("SENT");
    }

    @Test
    void rowsThatMeetOnlyOpenCircuitsKeepTheirAttempts() throws Exception {
        primary.fail(503);
        List<String> ids = enqueue(4);
        OutboxRelay relay = relay(primaryCircuitOpeningAfterTwoFailures(Map.of("ccbridge.notify.relay.attempts", "2",
                "ccbridge.notify.providers.primary.circuit-breaker.open-for", "30s")));

        drain(relay);

        // two calls failed and opened the circuit; the other two rows were never offered to the
        // provider, so an outage longer than the backoff does not fail them
        assertThat(primary.requestsFor(ids)).hasSize(2);
        List<Integer> attempts = ids.stream().map(id -> jdbc.queryForObject(
                "SELECT attempts FROM ccbridge_outbox WHERE notification_id = ?", Integer.class, id)).toList();
        assertThat(attempts).containsExactlyInAnyOrder(1, 1, 0, 0);
        assertThat(statuses()).containsOnly("PENDING");
        String notCalled = ids.get(attempts.indexOf(0));
        assertThat(ledger(notCalled)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT last_error FROM ccbridge_outbox WHERE notification_id = ?", String.class,
                notCalled)).contains("circuit of provider primary is open");
        long due = jdbc.queryForObject("SELECT next_attempt_at FROM ccbridge_outbox WHERE notification_id = ?",
                Long.class, notCalled);
        assertThat(due - System.currentTimeMillis()).isGreaterThan(20_000); // back when the circuit may half-open
    }

    @Test
    void failedSendsAreRetriedWithTheSameKeyAndBodyThenFailedVisibly() throws Exception {
        primary.fail(503);
        String id = enqueue(1).get(0);
        OutboxRelay relay = relay(Map.of("ccbridge.notify.relay.attempts", "3",
                "ccbridge.notify.relay.initial-backoff", "20ms", "ccbridge.notify.relay.max-backoff", "40ms"));

        for (int i = 0; i < 20 && !statuses().contains("FAILED"); i++) {
            drain(relay);
            Thread.sleep(50);
        }

        List<LoggedRequest> attempts = primary.requestsFor(List.of(id));
        assertThat(attempts).hasSize(3);
        assertThat(attempts).extracting(LoggedRequest::getBodyAsString).containsOnly(attempts.get(0).getBodyAsString());
        assertThat(statuses()).containsExactly("FAILED");
        assertThat(jdbc.queryForObject("SELECT last_error FROM ccbridge_outbox WHERE notification_id = ?", String.class, id))
                .contains("503").contains("attempt 3");
        assertThat(jdbc.queryForObject("SELECT status FROM ccbridge_notifications WHERE id = ?", String.class, id))
                .isEqualTo("FAILED");
        assertThat(ledger(id)).containsExactly("primary:FAILED", "primary:FAILED", "primary:FAILED");
    }

    @Test
    void aRefusalIsFailedAtOnce() throws Exception {
        primary.fail(400);
        List<String> ids = enqueue(1);
        drain(relay(Map.of()));
        assertThat(primary.requestsFor(ids)).hasSize(1);
        assertThat(statuses()).containsExactly("FAILED");
        assertThat(ledger(ids.get(0))).containsExactly("primary:REFUSED");
    }

    @Test
    void theLedgerIsReadBeforeSending() throws Exception {
        // a relay whose lease ran out while its provider call was under way had it accepted
        String id = enqueue(1).get(0);
        NotificationMessage message = new NotificationMessage(id, "sms", "+12025550143", "reminder", null,
                run + "-0", "appointment-reminder", "case-0");
        ledger().record(message, "primary", DeliveryOutcome.ACCEPTED, null, System.currentTimeMillis());

        drain(relay(Map.of()));

        assertThat(primary.requestsFor(List.of(id))).isEmpty();
        assertThat(statuses()).containsExactly("SENT");
    }

    @Test
    void theRunnerSendsWhatIsEnqueuedWhileTheApplicationRuns() throws Exception {
        NotifyProperties.Relay settings = settings(Map.of("ccbridge.notify.relay.enabled", "true",
                "ccbridge.notify.relay.interval", "50ms")).relay();
        OutboxRelayRunner runner = new OutboxRelayRunner(relay(Map.of()), settings);
        runner.start();
        try {
            List<String> ids = enqueue(3);
            for (int i = 0; i < 100 && primary.requestsFor(ids).size() < 3; i++) {
                Thread.sleep(50);
            }
            assertThat(primary.requestsFor(ids)).hasSize(3);
        } finally {
            runner.stop();
        }
        assertThat(runner.isRunning()).isFalse();
    }

    @Test
    void aSecondNotificationInsideTheWindowIsSuppressedWithTheIdOfTheSentOne() throws Exception {
        String first = enqueue("+12025550143", run, "appointment-reminder", "case-1");
        String second = enqueue("+12025550143", run, "appointment-reminder", "case-2");
        String otherType = enqueue("+12025550143", run, "payment-receipt", "case-3");

        drain(relay(Map.of()));

        String sent = status(first).equals("SENT") ? first : second;
        String suppressed = sent.equals(first) ? second : first;
        assertThat(status(sent)).isEqualTo("SENT");
        assertThat(status(suppressed)).isEqualTo("SUPPRESSED");
        assertThat(suppressedBy(suppressed)).isEqualTo(sent);
        assertThat(status(otherType)).isEqualTo("SENT");
        assertThat(primary.requestsFor(List.of(suppressed))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT status FROM ccbridge_outbox WHERE notification_id = ?", String.class,
                suppressed)).isEqualTo("SUPPRESSED");
    }

    @Test
    void oneClientsNotificationNeverSuppressesAnothersOfTheSameCustomerIdAndType() throws Exception {
        // customer ids are the client's own: "cust-1" of one CRM is not "cust-1" of another
        String ours = enqueue("test", "+12025550143", run, "appointment-reminder", "case-1");
        String theirs = enqueue("other-client", "+12025550144", run, "appointment-reminder", "case-1");

        drain(relay(Map.of()));

        assertThat(status(ours)).isEqualTo("SENT");
        assertThat(status(theirs)).isEqualTo("SENT");
        assertThat(primary.requestsFor(List.of(ours, theirs))).hasSize(2);
    }

    @Test
    void theSlidingWindowRunsOnAcrossUtcMidnight() throws Exception {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(3);
        SettableClock clock = new SettableClock(day.atTime(23, 58).toInstant(ZoneOffset.UTC));
        OutboxRelay relay = relay(Map.of(), clock);

        String beforeMidnight = enqueue("+12025550143", run, "appointment-reminder", "case-1");
        drain(relay);
        clock.set(day.plusDays(1).atTime(0, 2).toInstant(ZoneOffset.UTC)); // 4 minutes later, a new UTC day
        String afterMidnight = enqueue("+12025550143", run, "appointment-reminder", "case-2");
        drain(relay);
        clock.set(day.plusDays(1).atTime(0, 3, 1).toInstant(ZoneOffset.UTC)); // 5 min 1 s after the sent one
        String afterTheWindow = enqueue("+12025550143", run, "appointment-reminder", "case-3");
        drain(relay);

        assertThat(status(beforeMidnight)).isEqualTo("SENT");
        assertThat(status(afterMidnight)).isEqualTo("SUPPRESSED");
        assertThat(suppressedBy(afterMidnight)).isEqualTo(beforeMidnight);
        assertThat(status(afterTheWindow)).isEqualTo("SENT");
    }

    @Test
    void aFixedDayWindowIsTheUtcDayWhereverTheRecipientLives() throws Exception {
        Map<String, String> daily = Map.of("ccbridge.notify.dedup.windows.daily-digest.mode", "fixed",
                "ccbridge.notify.dedup.windows.daily-digest.length", "24h");
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(3);
        SettableClock clock = new SettableClock(day.atTime(14, 50).toInstant(ZoneOffset.UTC));
        OutboxRelay relay = relay(daily, clock);

        // Tokyo: 23:50 and 00:10 local are two local days but one UTC day
        String tokyoLateEvening = enqueue("+81 90-1234-5678", run + "-tokyo", "daily-digest", null);
        drain(relay);
        clock.set(day.atTime(15, 10).toInstant(ZoneOffset.UTC));
        String tokyoAfterLocalMidnight = enqueue("+81 90-1234-5678", run + "-tokyo", "daily-digest", null);
        drain(relay);

        // Los Angeles: 15:50 and 16:10 local are one local day but two UTC days
        clock.set(day.atTime(23, 50).toInstant(ZoneOffset.UTC));
        String laAfternoon = enqueue("+1 213-555-0147", run + "-la", "daily-digest", null);
        drain(relay);
        clock.set(day.plusDays(1).atTime(0, 10).toInstant(ZoneOffset.UTC));
        String laAfterUtcMidnight = enqueue("+1 213-555-0147", run + "-la", "daily-digest", null);
        drain(relay);

        assertThat(status(tokyoLateEvening)).isEqualTo("SENT");
        assertThat(status(tokyoAfterLocalMidnight)).isEqualTo("SUPPRESSED");
        assertThat(suppressedBy(tokyoAfterLocalMidnight)).isEqualTo(tokyoLateEvening);
        assertThat(status(laAfternoon)).isEqualTo("SENT");
        assertThat(status(laAfterUtcMidnight)).isEqualTo("SENT");
    }

    @Test
    void aReferenceWindowSendsOncePerCampaignRun() throws Exception {
        Map<String, String> perRun = Map.of("ccbridge.notify.dedup.windows.campaign-offer.mode", "reference");
        SettableClock clock = new SettableClock(Instant.now().plusSeconds(60));
        OutboxRelay relay = relay(perRun, clock);

        String firstOfRun = enqueue("+12025550143", run, "campaign-offer", "run-7");
        drain(relay);
        clock.set(clock.instant().plusSeconds(6 * 3600)); // hours later, the same run
        String sameRun = enqueue("+12025550143", run, "campaign-offer", "run-7");
        String nextRun = enqueue("+12025550143", run, "campaign-offer", "run-8");
        drain(relay);

        assertThat(status(firstOfRun)).isEqualTo("SENT");
        assertThat(status(sameRun)).isEqualTo("SUPPRESSED");
        assertThat(suppressedBy(sameRun)).isEqualTo(firstOfRun);
        assertThat(status(nextRun)).isEqualTo("SENT");
    }

    @Test
    void twoRelaysWithNotificationsOfOnePairSendOnlyOne() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int customer = 0; customer < 10; customer++) {
            for (int copy = 0; copy < 2; copy++) {
                ids.add(enqueue("+12025550143", run + "-" + customer, "appointment-reminder", "case-" + copy));
            }
        }
        Map<String, String> settings = Map.of("ccbridge.notify.relay.batch-size", "5",
                "ccbridge.notify.relay.concurrency", "4");
        relayConcurrently(relay(settings), relay(settings));
        for (int i = 0; i < 40 && statuses().contains("PENDING"); i++) { // a row that waited for its pair
            Thread.sleep(100);
            relayConcurrently(relay(settings), relay(settings));
        }

        for (int customer = 0; customer < 10; customer++) {
            List<String> pair = ids.subList(customer * 2, customer * 2 + 2);
            assertThat(pair).extracting(this::status).containsExactlyInAnyOrder("SENT", "SUPPRESSED");
        }
        assertThat(primary.requestsFor(ids)).hasSize(10);
    }

    /** Deletes the notifications, outbox rows, ledger and windows of customers whose ids start with {@code prefix}. */
    @Test
    void manyRequestsInOneTransactionAreWrittenOnceAndAKeyUsedBeforeIsAnsweredFromTheTable() {
        NotificationRequest first = outbox.validate(new NotificationRequest("sms", "202-555-0143", "reminder", null,
                run + "-batch-1", "appointment-reminder", "case-1"));
        NotificationRequest second = outbox.validate(new NotificationRequest("sms", "202-555-0144", "reminder", null,
                run + "-batch-2", "appointment-reminder", "case-2"));
        // written before, by a request whose claim record the claim store has since lost
        String earlier = outbox.enqueue("test", "key-earlier", first).id();

        List<NotificationOutbox.Enqueued> written = outbox.enqueueAll("test", List.of(
                new NotificationOutbox.Keyed("key-earlier", first), new NotificationOutbox.Keyed("key-new", second)));
        List<NotificationOutbox.Enqueued> reused = outbox.enqueueAll("test", List.of(new NotificationOutbox.Keyed(
                "key-earlier", outbox.validate(new NotificationRequest("sms", "202-555-0143", "reminder", null,
                        run + "-batch-1", "appointment-reminder", "case-other")))));

        assertThat(written.get(0).accepted()).isEqualTo(new AcceptedNotification(earlier, true));
        assertThat(written.get(1).accepted().replayed()).isFalse();
        assertThat(reused.get(0).refused()).isInstanceOf(NotificationKeyReusedException.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications WHERE customer_id LIKE ?",
                Integer.class, run + "-batch-%")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT status FROM ccbridge_outbox WHERE notification_id = ?", String.class,
                written.get(1).accepted().id())).isEqualTo("PENDING");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_outbox WHERE notification_id IN "
                + "(SELECT id FROM ccbridge_notifications WHERE customer_id LIKE ?)", Integer.class, run + "-batch-%"))
                .isEqualTo(2);
    }

    static void deleteNotificationsOf(JdbcTemplate jdbc, String prefix) {
        String customers = prefix + "%";
        jdbc.update("DELETE FROM ccbridge_notification_ledger WHERE customer_id LIKE ?", customers);
        jdbc.update("DELETE FROM ccbridge_notification_windows WHERE customer_id LIKE ?", customers);
        jdbc.update("DELETE FROM ccbridge_outbox WHERE notification_id IN (SELECT id FROM ccbridge_notifications "
                + "WHERE customer_id LIKE ?)", customers);
        jdbc.update("DELETE FROM ccbridge_notifications WHERE customer_id LIKE ?", customers);
    }

    /** A migrated database; rows of other runs may be in it. */
    protected abstract HikariDataSource database();

    private NotifyProperties settings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "ccbridge.notify.providers.primary.url", primary.url(),
                "ccbridge.notify.providers.primary.timeout", "1s",
                "ccbridge.notify.providers.secondary.url", secondary.url(),
                "ccbridge.notify.providers.secondary.timeout", "1s",
                "ccbridge.notify.channels.sms.primary", "primary",
                "ccbridge.notify.relay.concurrency", "1"));
        settings.putAll(overrides);
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("ccbridge.notify",
                NotifyProperties.class);
    }

    private static Map<String, String> primaryCircuitOpeningAfterTwoFailures(Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(more);
        settings.put("ccbridge.notify.providers.primary.circuit-breaker.sliding-window", "2");
        settings.put("ccbridge.notify.providers.primary.circuit-breaker.minimum-calls", "2");
        return settings;
    }

    /**
     * A clock for tests in which a lease runs out: it moves only when the test says, so that a
     * pause of this JVM (a full collection on a busy machine) cannot run a lease out early.
     */
    private static SettableClock leaseClock() {
        return new SettableClock(Instant.now());
    }

    private static void advance(SettableClock clock, long millis) {
        clock.set(clock.instant().plusMillis(millis));
    }

    private OutboxRelay relay(Map<String, String> overrides) {
        return relay(overrides, Clock.systemUTC());
    }

    private OutboxRelay relay(Map<String, String> overrides, Clock clock) {
        NotifyProperties settings = settings(overrides);
        Map<String, ChannelRoute> channels = providers(settings);
        OutboxRelay relay = new OutboxRelay(jdbc, transactions, settings.relay(), channels, ledger(), windows(settings),
                clock, routesFor(channels));
        relays.add(relay);
        return relay;
    }

    /** The send routes as shipped, built with these providers. */
    private OutboxRelay.AttemptSender routesFor(Map<String, ChannelRoute> channels) {
        SendRoutes routes = new SendRoutes(channels);
        sendRoutes.add(routes);
        return routes.sender();
    }

    private static Map<String, ChannelRoute> providers(NotifyProperties settings) {
        return NotifyConfiguration.providersByChannel(settings, null, RateLimits.inMemory());
    }

    private NotificationLedger ledger() {
        return new NotificationLedger(jdbc);
    }

    private DedupWindows windows(NotifyProperties settings) {
        return new DedupWindows(jdbc, transactions, ledger(), settings.dedup());
    }

    private static int relayConcurrently(OutboxRelay first, OutboxRelay second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (OutboxRelay relay : List.of(first, second)) {
                runs.add(pool.submit(() -> {
                    int total = 0;
                    int claimed;
                    while ((claimed = relay.relayOnce()) > 0) {
                        total += claimed;
                    }
                    return total;
                }));
            }
            return runs.get(0).get() + runs.get(1).get();
        } finally {
            pool.shutdown();
        }
    }

    /** Notifications to one recipient, each for a customer of its own. */
    private List<String> enqueue(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(enqueue("202-555-0143", run + "-" + i, "appointment-reminder", "case-" + i));
        }
        return ids;
    }

    private String enqueue(String recipient, String customerId, String messageType, String reference) {
        return enqueue("test", recipient, customerId, messageType, reference);
    }

    private String enqueue(String client, String recipient, String customerId, String messageType, String reference) {
        String id = outbox.enqueue(client, "key-" + UUID.randomUUID(), outbox.validate(new NotificationRequest("sms",
                recipient, "reminder", null, customerId, messageType, reference))).id();
        mine.add(id);
        return id;
    }

    /** Relays until a poll finds nothing due. */
    private static void drain(OutboxRelay relay) throws InterruptedException {
        while (relay.relayOnce() > 0) {
            // next batch
        }
    }

    private String status(String id) {
        return jdbc.queryForObject("SELECT status FROM ccbridge_notifications WHERE id = ?", String.class, id);
    }

    private String suppressedBy(String id) {
        return jdbc.queryForObject("SELECT suppressed_by FROM ccbridge_notifications WHERE id = ?", String.class, id);
    }

    /** The ledger of one notification as provider:outcome, oldest first. */
    private List<String> ledger(String id) {
        return ledger().entries(id).stream().map(entry -> entry.provider() + ":" + entry.outcome()).toList();
    }

    /** The outbox statuses of this test's rows. */
    private List<String> statuses() {
        return mine.stream().map(id -> jdbc.queryForObject("SELECT status FROM ccbridge_outbox WHERE notification_id = ?",
                String.class, id)).distinct().toList();
    }
}
