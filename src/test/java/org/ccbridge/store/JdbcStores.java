package org.ccbridge.store;

import java.time.Clock;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/** JDBC stores for tests, migrated the way the application migrates them. */
final class JdbcStores {

    private JdbcStores() {
    }

    static HikariDataSource dataSource(String url, String user) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername(user);
        dataSource.setMaximumPoolSize(60);
        return dataSource;
    }

    /** A lock store on a migrated database; call it twice for two instances on one database. */
    static JdbcLockStore lockStore(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcLockStore(new JdbcTemplate(dataSource), Clock.systemUTC());
    }

    static JdbcSessionStore sessionStore(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcSessionStore(new JdbcTemplate(dataSource), Clock.systemUTC());
    }

    static JdbcTokenStore tokenStore(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcTokenStore(new JdbcTemplate(dataSource), Clock.systemUTC());
    }

    static JdbcIdempotencyStore idempotencyStore(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcIdempotencyStore(new JdbcTemplate(dataSource), Clock.systemUTC());
    }

    static JdbcDedupStore migratedStore(DataSource dataSource) {
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcDedupStore(new JdbcTemplate(dataSource), Clock.systemUTC());
    }
}
