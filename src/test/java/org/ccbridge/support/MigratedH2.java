package org.ccbridge.support;

import com.zaxxer.hikari.HikariDataSource;

import org.flywaydb.core.Flyway;

/** An in-memory H2 in PostgreSQL mode, migrated the way the application migrates its database. */
public final class MigratedH2 {

    private MigratedH2() {
    }

    public static HikariDataSource open(String name, int poolSize) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:mem:" + name + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        dataSource.setUsername("sa");
        dataSource.setMaximumPoolSize(poolSize);
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }
}
