package org.ccbridge.store;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.IdempotencyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2IdempotencyStoreTests extends IdempotencyStoreContractTests {

    private static HikariDataSource dataSource;
    private static IdempotencyStore store;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:h2:mem:idempotency-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa");
        store = JdbcStores.idempotencyStore(dataSource);
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }
}
