package org.ccbridge.notify;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.MigratedPostgres;
import org.ccbridge.support.RequiresServices;

@RequiresServices(LocalService.POSTGRESQL)
class PostgresOutboxRelayTests extends OutboxRelayTests {

    @Override
    protected HikariDataSource database() {
        return MigratedPostgres.open(16);
    }
}
