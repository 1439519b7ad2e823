package org.ccbridge.sync;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.MigratedPostgres;
import org.ccbridge.support.RequiresServices;

@RequiresServices(LocalService.POSTGRESQL)
class PostgresGatheredRecordStatesTests extends GatheredRecordStatesContractTests {

    @Override
    HikariDataSource open() {
        return MigratedPostgres.open(8);
    }
}
