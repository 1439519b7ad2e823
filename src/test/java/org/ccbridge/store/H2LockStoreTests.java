package org.ccbridge.store;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.LockStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2LockStoreTests extends LockStoreContractTests {

    private static HikariDataSource dataSource;
    private static LockStore store;
    private static LockStore another;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:h2:mem:lock-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa");
        store = JdbcStores.lockStore(dataSource);
        another = JdbcStores.lockStore(dataSource);
    }

    @AfterAll
    static void stop() {
        dataSource.close();
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
