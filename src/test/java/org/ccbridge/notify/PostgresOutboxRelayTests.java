package org.ccbridge.notify;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.flywaydb.core.Flyway;

@RequiresServices(LocalService.POSTGRESQL)
class PostgresOutboxRelayTests extends OutboxRelayTests {

    @Override
    protected HikariDataSource database() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(16);
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }
}
