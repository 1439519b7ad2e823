package org.ccbridge.store;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.IdempotencyStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

@RequiresServices(LocalService.POSTGRESQL)
class PostgresIdempotencyStoreTests extends IdempotencyStoreContractTests {

    private static HikariDataSource dataSource;
    private static IdempotencyStore store;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:postgresql://127.0.0.1:5432/test", "postgres");
        store = JdbcStores.idempotencyStore(dataSource);
    }

    @AfterAll
    static void stop() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    protected IdempotencyStore store() {
        return store;
    }
}
