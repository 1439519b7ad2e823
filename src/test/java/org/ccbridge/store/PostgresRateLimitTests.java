package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.RateLimits;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.MigratedH2;
import org.ccbridge.support.MigratedPostgres;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Rate limits shared through PostgreSQL rows, each instance with a connection pool of its own. */
@RequiresServices(LocalService.POSTGRESQL)
class PostgresRateLimitTests extends SharedRateLimitContractTests {

    private static final List<HikariDataSource> POOLS = new ArrayList<>();

    @Override
    protected RateLimits instance(int number) {
        HikariDataSource pool = MigratedPostgres.open(4);
        POOLS.add(pool);
        return RateLimits.shared(() -> RateLimitBuckets.postgres(pool, Duration.ofSeconds(1)));
    }

    @AfterAll
    static void closePools() {
        POOLS.forEach(HikariDataSource::close);
        POOLS.clear();
    }

    @Test
    void theJdbcStoreSharesItsLimitsOnPostgresqlAndKeepsThemInMemoryOnH2() {
        StoreProperties properties = new StoreProperties(StoreProperties.Type.JDBC, Duration.ofMillis(200), "ccbridge:");
        HikariDataSource postgres = MigratedPostgres.open(2);
        POOLS.add(postgres);
        HikariDataSource h2 = MigratedH2.open("rate-limit-choice", 2);
        POOLS.add(h2);

        assertThat(new StoreConfiguration.JdbcStore().rateLimits(postgres, properties).isShared()).isTrue();
        assertThat(new StoreConfiguration.JdbcStore().rateLimits(h2, properties).isShared()).isFalse();
    }

    @Test
    void purgingDeletesBucketsThatWouldBeFullAgainAndKeepsTheOthers() {
        String idle = "idle-" + UUID.randomUUID();
        String busy = "busy-" + UUID.randomUUID();
        RateLimits limits = instance(1);
        assertThat(limits.limit(idle, 5, 0, Duration.ZERO).acquire(1)).isTrue();
        assertThat(limits.limit(busy, 0, 60, Duration.ZERO).acquire(10)).isTrue();
        JdbcTemplate jdbc = new JdbcTemplate(POOLS.get(POOLS.size() - 1));
        // as if the idle bucket had been written long ago
        jdbc.update("UPDATE ccbridge_rate_limit_buckets SET expires_at = 1 WHERE id LIKE ?", "rate-limit:" + idle + ":%");

        limits.purgeExpired();

        assertThat(jdbc.queryForObject("SELECT count(*) FROM ccbridge_rate_limit_buckets WHERE id LIKE ?",
                Integer.class, "rate-limit:" + idle + ":%")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM ccbridge_rate_limit_buckets WHERE id LIKE ?",
                Integer.class, "rate-limit:" + busy + ":%")).isOne();
    }
}
