package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.MigratedPostgres;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Dedup windows on a database whose collation sorts keys unlike Java: a release and a reservation
 * of the same two pairs must take the rows in one order, or each holds one and waits for the other.
 */
@RequiresServices(LocalService.POSTGRESQL)
class DedupWindowLockOrderTests {

    private final HikariDataSource database = MigratedPostgres.openWithLinguisticCollation(4);
    private final JdbcTemplate jdbc = new JdbcTemplate(database);
    private final TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
    private final String run = UUID.randomUUID().toString();
    private final ExecutorService background = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        background.shutdownNow();
        OutboxRelayTests.deleteNotificationsOf(jdbc, "a-" + run);
        OutboxRelayTests.deleteNotificationsOf(jdbc, "B-" + run);
        database.close();
    }

    @Test
    void aReleaseWaitsForAReservationHoldingTheFirstPairInsteadOfDeadlocking() throws Exception {
        DedupWindows windows = new DedupWindows(jdbc, transactions, new NotificationLedger(jdbc),
                new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("ccbridge.notify",
                        NotifyProperties.class).dedup());
        // Java puts "B-..." first, the database "a-..."
        NotificationMessage lower = message("a-" + run);
        NotificationMessage upper = message("B-" + run);
        assertThat(jdbc.queryForList("SELECT k FROM (VALUES (?), (?)) AS v(k) ORDER BY k", String.class,
                upper.customerId(), lower.customerId())).containsExactly(lower.customerId(), upper.customerId());
        long now = System.currentTimeMillis();
        assertThat(windows.reserveAll(List.of(lower, upper), now, now + 60_000))
                .extracting(DedupWindows.Decision::verdict).containsOnly(DedupWindows.Verdict.SEND);

        try (Connection reservation = database.getConnection()) {
            // another relay reserving both pairs, in the database's order: it holds "a-..." now
            reservation.setAutoCommit(false);
            reservation.createStatement().execute("SET LOCAL lock_timeout = '5s'");
            lockWindow(reservation, lower);
            Future<?> release = background.submit(() -> transactions.executeWithoutResult(status ->
                    windows.releaseAll(List.of(lower, upper))));
            Thread.sleep(300); // the release is waiting for "a-..."; in Java's order it would hold "B-..." already

            lockWindow(reservation, upper); // PostgreSQL would report a deadlock here after a second
            reservation.commit();
            release.get(10, TimeUnit.SECONDS);
        }

        assertThat(jdbc.queryForList("SELECT sending_id FROM ccbridge_notification_windows WHERE customer_id IN (?, ?)",
                String.class, lower.customerId(), upper.customerId())).hasSize(2).containsOnlyNulls();
    }

    private static void lockWindow(Connection connection, NotificationMessage message) throws Exception {
        try (PreparedStatement lock = connection.prepareStatement("SELECT sending_id FROM ccbridge_notification_windows "
                + "WHERE client = ? AND customer_id = ? AND message_type = ? FOR UPDATE")) {
            lock.setString(1, message.client());
            lock.setString(2, message.customerId());
            lock.setString(3, message.messageType());
            lock.executeQuery().close();
        }
    }

    private static NotificationMessage message(String customerId) {
        return new NotificationMessage(UUID.randomUUID().toString(), "sms", "+12025550143", null, "hello", customerId,
                "appointment-reminder", null, "test");
    }
}
