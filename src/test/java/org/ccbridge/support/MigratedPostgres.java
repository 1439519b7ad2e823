package org.ccbridge.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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
        return open("test", poolSize);
    }

    /**
     * A database whose text sorts by ICU's en-US collation, as many production databases' do
     * ({@code a} before {@code B}), unlike Java's String order and this machine's {@code C.UTF-8};
     * created on first use, migrated like {@code test} and shared by runs the same way.
     */
    public static HikariDataSource openWithLinguisticCollation(int poolSize) {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:"
                + LocalService.POSTGRESQL.port() + "/postgres", "postgres", "");
             Statement statement = admin.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + LINGUISTIC + "'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + LINGUISTIC + " TEMPLATE template0 LOCALE_PROVIDER icu "
                            + "ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the database " + LINGUISTIC + ": " + e.getMessage(), e);
        }
        return open(LINGUISTIC, poolSize);
    }

    private static final String LINGUISTIC = "ccbridge_test_icu_en_us";

    private static HikariDataSource open(String database, int poolSize) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + LocalService.POSTGRESQL.port() + "/" + database);
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(poolSize);
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }
}
