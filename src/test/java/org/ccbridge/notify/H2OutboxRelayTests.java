package org.ccbridge.notify;

import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.support.MigratedH2;

class H2OutboxRelayTests extends OutboxRelayTests {

    @Override
    protected HikariDataSource database() {
        return MigratedH2.open("outbox-" + UUID.randomUUID(), 16);
    }
}
