package org.ccbridge.store;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.LockStore;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

@RequiresServices(LocalService.POSTGRESQL)
class PostgresLockStoreTests extends LockStoreContractTests {

    private static HikariDataSource dataSource;
    private static LockStore store;
    private static LockStore another;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:postgresql://127.0.0.1:5432/test", "postgres");
        store = JdbcStores.lockStore(dataSource);
        another = JdbcStores.lockStore(dataSource);
    }

    @AfterAll
    static void stop() {
        if (dataSource != null) {
            dataSource.close();
        }
    }

    @Override
    protected LockStore store() {
        return store;
    }

    @Override
    protected LockStore anotherInstance() {
        return another;
    }
}
