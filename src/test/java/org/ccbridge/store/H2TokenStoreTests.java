package org.ccbridge.store;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.auth.TokenStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class H2TokenStoreTests extends TokenStoreContractTests {

    private static HikariDataSource dataSource;
    private static TokenStore store;

    @BeforeAll
    static void start() {
        dataSource = JdbcStores.dataSource("jdbc:h2:mem:token-contract;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa");
        store = JdbcStores.tokenStore(dataSource);
    }

    @AfterAll
    static void stop() {
        dataSource.close();
    }

    @Override
    protected TokenStore store() {
        return store;
    }
}
