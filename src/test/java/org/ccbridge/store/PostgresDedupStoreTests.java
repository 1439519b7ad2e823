package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.dedup.DedupStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RequiresServices(LocalService.POSTGRESQL)
class PostgresDedupStoreTests extends DedupStoreContractTests {

    private static HikariDataSource dataSource;
    private static JdbcDedupStore store;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:postgresql://127.0.0.1:5432/test", "postgres");
        store = JdbcStores.migratedStore(dataSource);
    }

    @AfterAll
    static void stop() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    protected DedupStore store() {
        return store;
    }

    @Test
    void purgeRemovesOnlyExpiredClaims() throws InterruptedException {
        store.claim("purge:short", "h", java.time.Duration.ofMillis(100));
        store.claim("purge:long", "h", java.time.Duration.ofMinutes(5));
        Thread.sleep(200);
        assertThat(store.purgeExpired()).isGreaterThanOrEqualTo(1);
        assertThat(store.lookup("purge:short", "h")).isNull();
        assertThat(store.lookup("purge:long", "h")).isNotNull();
    }
}
