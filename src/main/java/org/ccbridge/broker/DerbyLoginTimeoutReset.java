package org.ccbridge.broker;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Keeps the JVM-wide JDBC login timeout at zero while the embedded broker runs.
 *
 * <p>Hikari sets {@link DriverManager#setLoginTimeout} when its pool starts (to its connection
 * timeout, 1 s here). The embedded broker's Derby store opens a DriverManager connection for
 * every store operation; with a login timeout Derby runs each login on a helper thread with a
 * timed wait, which slows every persistent publish and, on a busy machine, fails broker startup
 * with "Login timeout exceeded". The pool's own connection timeout still bounds how long a
 * caller waits for a database connection.
 */
class DerbyLoginTimeoutReset implements BeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource dataSource) {
            startPool(dataSource);
            DriverManager.setLoginTimeout(0);
        }
        return bean;
    }

    // The pool starts lazily and sets the timeout then; start it now so the reset comes after.
    private static void startPool(DataSource dataSource) {
        try (Connection ignored = dataSource.getConnection()) {
            // opened and returned only to start the pool
        } catch (SQLException e) {
            throw new BeanInitializationException("The database is not reachable at startup", e);
        }
    }
}
