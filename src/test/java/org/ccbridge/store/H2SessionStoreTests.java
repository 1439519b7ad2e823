package org.ccbridge.store;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.SessionStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2SessionStoreTests extends SessionStoreContractTests {

    private static HikariDataSource dataSource;
    private static SessionStore store;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:h2:mem:session-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa");
        store = JdbcStores.sessionStore(dataSource);
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    @Override
    protected SessionStore store() {
        return store;
    }
}
