package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.RateLimits;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.MigratedPostgres;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A backlog of 50,000 outbox rows in PostgreSQL drains completely, each row sent once, and the
 * relay's heap does not grow with the rows it has sent: it holds one batch at a time. The provider
 * is a JDK HTTP server that only counts, so that the fake itself keeps nothing per request.
 */
@RequiresServices(LocalService.POSTGRESQL)
class OutboxBacklogTests {

    private static final int ROWS = 50_000;
    private static final long ALLOWED_GROWTH = 16L * 1024 * 1024;

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else every answer waits for a delayed ACK
    }

    private final String run = "backlog-" + UUID.randomUUID();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer provider;
    private ExecutorService providerThreads;
    private HikariDataSource database;
    private JdbcTemplate jdbc;

    @BeforeEach
    void start() throws IOException {
        providerThreads = Executors.newFixedThreadPool(8);
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        provider.setExecutor(providerThreads);
        String ours = "\"customerId\":\"" + run + "-";
        provider.createContext("/messages", exchange -> {
            if (new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).contains(ours)) {
                requests.incrementAndGet(); // rows other runs left in the shared outbox are answered, not counted
            }
            byte[] answer = "{\"sid\":\"SM1\",\"status\":\"queued\"}".getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(201, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        provider.start();
        database = MigratedPostgres.open(12);
        jdbc = new JdbcTemplate(database);
    }

    @AfterEach
    void stop() {
        // the shared test database keeps no 50,000 rows per run
        OutboxRelayTests.deleteNotificationsOf(jdbc, run + "-");
        database.close();
        provider.stop(0);
        providerThreads.shutdownNow();
    }

    @Test
    void fiftyThousandPendingRowsDrainWithoutTheHeapGrowing() throws Exception {
        insertBacklog();
        NotifyProperties settings = new Binder(new MapConfigurationPropertySource(Map.of(
                "ccbridge.notify.providers.fast.url", "http://127.0.0.1:" + provider.getAddress().getPort() + "/messages",
                "ccbridge.notify.channels.sms.primary", "fast",
                "ccbridge.notify.relay.batch-size", "500",
                "ccbridge.notify.relay.concurrency", "8"))).bindOrCreate("ccbridge.notify", NotifyProperties.class);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
        NotificationLedger ledger = new NotificationLedger(jdbc);
        List<Long> heapAfter = new ArrayList<>();
        int drained = 0;
        long started = System.nanoTime();
        Map<String, ChannelRoute> channels = NotifyConfiguration.providersByChannel(settings, null, RateLimits.inMemory());
        try (SendRoutes routes = new SendRoutes(channels);
             OutboxRelay relay = new OutboxRelay(jdbc, transactions, settings.relay(), channels, ledger,
                     new DedupWindows(jdbc, transactions, ledger, settings.dedup()), Clock.systemUTC(), routes.sender())) {
            int claimed;
            int nextSample = 10_000;
            while ((claimed = relay.relayOnce()) > 0) {
                drained += claimed;
                if (drained >= nextSample) {
                    heapAfter.add(usedHeapAfterGc());
                    nextSample += 10_000;
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;

        System.out.printf("OutboxBacklogTests: %d rows drained in %.1f s (%.0f rows/s); heap after GC at every "
                + "10,000 rows: %s MB%n", drained, seconds, drained / seconds,
                heapAfter.stream().map(bytes -> String.format("%.1f", bytes / 1048576.0)).toList());
        assertThat(requests.get()).isEqualTo(ROWS);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM ccbridge_notifications WHERE customer_id LIKE ? "
                + "AND status = 'SENT'", Integer.class, run + "-%")).isEqualTo(ROWS);
        assertThat(jdbc.queryForObject("SELECT COUNT(DISTINCT notification_id) FROM ccbridge_notification_ledger "
                + "WHERE customer_id LIKE ? AND outcome = 'ACCEPTED'", Integer.class, run + "-%")).isEqualTo(ROWS);
        assertThat(heapAfter).hasSizeGreaterThanOrEqualTo(ROWS / 10_000);
        // from the first sample (10,000 sent) to the last (50,000 sent): no growth with the rows sent
        assertThat(heapAfter.get(heapAfter.size() - 1) - heapAfter.get(0)).isLessThan(ALLOWED_GROWTH);
    }

    /** 50,000 notifications of as many customers, written the way the outbox writes them, in batches. */
    private void insertBacklog() {
        long now = System.currentTimeMillis();
        List<Object[]> notifications = new ArrayList<>();
        List<Object[]> outbox = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            String id = UUID.randomUUID().toString();
            notifications.add(new Object[] {id, "backlog", run + "-key-" + i, "hash", "sms", "+12025550143", "reminder",
                    run + "-" + i, "appointment-reminder", now});
            outbox.add(new Object[] {id, now - ROWS + i, now}); // all due, oldest first
            if (notifications.size() == 5_000) {
                flush(notifications, outbox);
            }
        }
        flush(notifications, outbox);
    }

    private void flush(List<Object[]> notifications, List<Object[]> outbox) {
        jdbc.batchUpdate("INSERT INTO ccbridge_notifications (id, client, idempotency_key, request_hash, channel, "
                + "recipient, template, customer_id, message_type, status, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?)", notifications);
        jdbc.batchUpdate("INSERT INTO ccbridge_outbox (notification_id, status, attempts, next_attempt_at, created_at) "
                + "VALUES (?, 'PENDING', 0, ?, ?)", outbox);
        notifications.clear();
        outbox.clear();
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
