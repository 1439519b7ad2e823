package org.ccbridge.sync;

import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.support.MigratedH2;

class H2GatheredRecordStatesTests extends GatheredRecordStatesContractTests {

    @Override
    HikariDataSource open() {
        return MigratedH2.open("gathered-" + UUID.randomUUID(), 8);
    }
}
