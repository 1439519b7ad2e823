package org.ccbridge.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.normalize.PhoneNumbers;
import org.ccbridge.normalize.ValueNormalizer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox relay against a WireMock provider that counts deliveries per idempotency key; the
 * subclasses run it on H2 and on PostgreSQL, whose FOR UPDATE SKIP LOCKED differ in practice.
 */
abstract class OutboxRelayTests {

    private final WireMockServer provider = new WireMockServer(wireMockConfig().dynamicPort());
    private final List<String> mine = new ArrayList<>();
    private HikariDataSource database;
    private JdbcTemplate jdbc;
    private TransactionTemplate transactions;
    private NotificationOutbox outbox;

    @BeforeEach
    void start() {
        provider.start();
        provider.stubFor(post(urlEqualTo("/sms")).willReturn(aResponse().withStatus(201).withBody("{\"sid\":\"SM1\"}")));
        database = database();
        jdbc = new JdbcTemplate(database);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
        outbox = new NotificationOutbox(jdbc, transactions, new ValueNormalizer(new PhoneNumbers("US")), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        provider.stop();
        database.close();
    }

    @Test
    void eachPendingRowIsSentOnceWithItsIdAsTheIdempotencyKey() throws Exception {
        List<String> ids = enqueue(5);
        OutboxRelay relay = relay(Map.of());

        drain(relay);

        List<LoggedRequest> sent = sentFor(ids);
        assertThat(sent).extracting(request -> request.getHeader("Idempotency-Key")).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(sent.get(0).getBodyAsString()).contains("\"to\":\"+12025550143\"");
        assertThat(statuses()).containsOnly("SENT");
    }

    @Test
    void twoRelaysOnTheSameOutboxSendEveryRowOnce() throws Exception {
        List<String> ids = enqueue(200);
        OutboxRelay first = relay(Map.of("ccbridge.notify.relay.batch-size", "10"));
        OutboxRelay second = relay(Map.of("ccbridge.notify.relay.batch-size", "10"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
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
        int total = runs.get(0).get() + runs.get(1).get();
        pool.shutdown();

        assertThat(total).isGreaterThanOrEqualTo(200);
        List<String> keys = sentFor(ids).stream().map(request -> request.getHeader("Idempotency-Key")).toList();
        assertThat(keys).hasSize(200).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(statuses()).containsOnly("SENT");
    }

    @Test
    void aRelayThatDiedMidBatchLeavesItsRowsToTheNextOneAfterTheLease() throws Exception {
        List<String> ids = enqueue(3);
        OutboxRelay dies = relay(Map.of("ccbridge.notify.relay.lease", "200ms"));
        assertThat(dies.claim()).hasSize(3); // claimed, then the process is gone

        OutboxRelay next = relay(Map.of());
        drain(next);
        assertThat(sentFor(ids)).isEmpty(); // leased to the dead relay still
        Thread.sleep(300);
        drain(next);
        assertThat(sentFor(ids)).extracting(r -> r.getHeader("Idempotency-Key")).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void failedSendsAreRetriedWithTheSameKeyAndBodyThenFailedVisibly() throws Exception {
        provider.stubFor(post(urlEqualTo("/sms")).willReturn(aResponse().withStatus(503)));
        String id = enqueue(1).get(0);
        OutboxRelay relay = relay(Map.of("ccbridge.notify.relay.attempts", "3",
                "ccbridge.notify.relay.initial-backoff", "20ms", "ccbridge.notify.relay.max-backoff", "40ms"));

        for (int i = 0; i < 20 && !statuses().contains("FAILED"); i++) {
            drain(relay);
            Thread.sleep(50);
        }

        List<LoggedRequest> attempts = sentFor(List.of(id));
        assertThat(attempts).hasSize(3);
        Set<String> bodies = new HashSet<>();
        attempts.forEach(request -> {
            assertThat(request.getHeader("Idempotency-Key")).isEqualTo(id);
            bodies.add(request.getBodyAsString());
        });
        assertThat(bodies).hasSize(1);
        assertThat(statuses()).containsExactly("FAILED");
        assertThat(jdbc.queryForObject("SELECT last_error FROM ccbridge_outbox WHERE notification_id = ?", String.class, id))
                .contains("503").contains("attempt 3");
        assertThat(jdbc.queryForObject("SELECT status FROM ccbridge_notifications WHERE id = ?", String.class, id))
                .isEqualTo("FAILED");
    }

    @Test
    void theRunnerSendsWhatIsEnqueuedWhileTheApplicationRuns() throws Exception {
        NotifyProperties.Relay settings = new Binder(new MapConfigurationPropertySource(Map.of(
                "ccbridge.notify.relay.enabled", "true", "ccbridge.notify.relay.interval", "50ms")))
                .bindOrCreate("ccbridge.notify", NotifyProperties.class).relay();
        OutboxRelayRunner runner = new OutboxRelayRunner(relay(Map.of()), settings);
        runner.start();
        try {
            List<String> ids = enqueue(3);
            for (int i = 0; i < 100 && sentFor(ids).size() < 3; i++) {
                Thread.sleep(50);
            }
            assertThat(sentFor(ids)).hasSize(3);
        } finally {
            runner.stop();
        }
        assertThat(runner.isRunning()).isFalse();
    }

    @Test
    void aRefusalIsFailedAtOnce() throws Exception {
        provider.stubFor(post(urlEqualTo("/sms")).willReturn(aResponse().withStatus(400).withBody("{\"code\":21211}")));
        List<String> ids = enqueue(1);
        drain(relay(Map.of()));
        assertThat(sentFor(ids)).hasSize(1);
        assertThat(statuses()).containsExactly("FAILED");
    }

    /** A migrated database; rows of other runs may be in it. */
    protected abstract HikariDataSource database();

    private OutboxRelay relay(Map<String, String> overrides) {
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "ccbridge.notify.providers.twilio.url", provider.baseUrl() + "/sms",
                "ccbridge.notify.providers.twilio.timeout", "2s"));
        settings.putAll(overrides);
        NotifyProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("ccbridge.notify", NotifyProperties.class);
        HttpNotificationProvider twilio = new HttpNotificationProvider("twilio", properties.providers().get("twilio"));
        return new OutboxRelay(jdbc, transactions, properties.relay(), Map.of("sms", twilio), Clock.systemUTC());
    }

    private List<String> enqueue(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            mine.add(outbox.enqueue("test", "key-" + UUID.randomUUID(), outbox.validate(new NotificationRequest("sms",
                    "202-555-0143", "reminder", null, "cust-" + i, "appointment-reminder", "case-" + i))).id());
            ids.add(mine.get(mine.size() - 1));
        }
        return ids;
    }

    /** What the provider received for these notifications (a shared database may hold other runs' rows). */
    private List<LoggedRequest> sentFor(List<String> ids) {
        return provider.findAll(postRequestedFor(urlEqualTo("/sms"))).stream()
                .filter(request -> ids.contains(request.getHeader("Idempotency-Key"))).toList();
    }

    /** Relays until a poll finds nothing due. */
    private static void drain(OutboxRelay relay) throws InterruptedException {
        while (relay.relayOnce() > 0) {
            // next batch
        }
    }

    /** The outbox statuses of this test's rows. */
    private List<String> statuses() {
        return mine.stream().map(id -> jdbc.queryForObject("SELECT status FROM ccbridge_outbox WHERE notification_id = ?",
                String.class, id)).distinct().toList();
    }
}
