package org.ccbridge.store;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.dedup.DedupStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2DedupStoreTests extends DedupStoreContractTests {

    private static HikariDataSource dataSource;
    private static JdbcDedupStore store;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:h2:mem:dedup-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa");
        store = JdbcStores.migratedStore(dataSource);
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    @Override
    protected DedupStore store() {
        return store;
    }
}
