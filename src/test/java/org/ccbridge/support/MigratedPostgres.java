package org.ccbridge.support;

import com.zaxxer.hikari.HikariDataSource;

import org.flywaydb.core.Flyway;

/**
 * The machine's PostgreSQL database {@code test}, migrated the way the application migrates its
 * database. It is shared by every run: tests keep to rows of their own.
 */
public final class MigratedPostgres {

    private MigratedPostgres() {
    }

    public static HikariDataSource open(int poolSize) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + LocalService.POSTGRESQL.port() + "/test");
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(poolSize);
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }
}
