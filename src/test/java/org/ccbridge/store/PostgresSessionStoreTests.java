package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.SessionContent;
import org.ccbridge.coordination.SessionStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RequiresServices(LocalService.POSTGRESQL)
class PostgresSessionStoreTests extends SessionStoreContractTests {

    private static HikariDataSource dataSource;
    private static JdbcSessionStore store;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:postgresql://127.0.0.1:5432/test", "postgres");
        store = JdbcStores.sessionStore(dataSource);
    }

    @AfterAll
    static void stop() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    protected SessionStore store() {
        return store;
    }

    @Test
    void purgeRemovesExpiredSessions() throws InterruptedException {
        SessionContent content = new SessionContent("{}".getBytes(), false, "application/json", null);
        store.create("purge:short", content, Duration.ofMillis(100));
        Thread.sleep(200);
        assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(1);
    }
}
