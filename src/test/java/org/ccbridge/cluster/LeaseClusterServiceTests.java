package org.ccbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import com.zaxxer.hikari.HikariDataSource;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.LockLease;
import org.ccbridge.coordination.LockStore;
import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.support.MigratedH2;

/**
 * Two instances, each a Camel context with a {@code master:} route over the same lock store: one
 * runs the route, the other stands by and takes over when the first stops, or when it can no
 * longer reach the store, never while the first may still run.
 */
class LeaseClusterServiceTests {

    private static final Duration LEASE = Duration.ofMillis(1500);
    private static final Duration INTERVAL = Duration.ofMillis(100);

    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;

    private final ConcurrentLinkedQueue<Tick> ticks = new ConcurrentLinkedQueue<>();
    private CamelContext first;
    private CamelContext second;

    record Tick(String instance, long at) {
    }

    @BeforeAll
    static void database() {
        dataSource = MigratedH2.open("cluster-leases", 4);
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void closeDatabase() {
        dataSource.close();
    }

    @BeforeEach
    void clean() {
        jdbc.update("DELETE FROM ccbridge_locks");
    }

    @AfterEach
    void stop() {
        for (CamelContext context : new CamelContext[] {first, second}) {
            if (context != null) {
                context.stop();
            }
        }
    }

    @Test
    void oneInstanceRunsTheRouteAndTheOtherTakesOverWhenItStops() throws Exception {
        LockStore store = new JdbcLockStore(jdbc, Clock.systemUTC());
        first = instance("first", store);
        second = instance("second", store);

        waitFor(() -> !ticks.isEmpty());
        Thread.sleep(500);
        String leader = ticks.peek().instance();
        assertThat(ticks).extracting(Tick::instance).containsOnly(leader);
        long tokenBefore = token(leader);

        CamelContext leading = leader.equals("first") ? first : second;
        String standby = leader.equals("first") ? "second" : "first";
        leading.stop(); // releases the lease: the standby need not wait for it to run out
        long stoppedAt = System.currentTimeMillis();
        waitFor(() -> standby.equals(holder()));
        assertThat(System.currentTimeMillis() - stoppedAt).isLessThan(LEASE.toMillis() / 3);
        assertThat(token(standby)).isGreaterThan(tokenBefore);

        waitFor(() -> ticks.stream().anyMatch(tick -> tick.instance().equals(standby)));
        assertThat(firstTickOf(standby)).isGreaterThan(stoppedAt);
    }

    @Test
    void aHolderCutOffFromTheStoreStepsDownBeforeAnotherCanTakeOver() throws Exception {
        AtomicBoolean cutOff = new AtomicBoolean();
        LockStore shared = new JdbcLockStore(jdbc, Clock.systemUTC());
        first = instance("first", new Unreachable(shared, cutOff));
        waitFor(() -> !ticks.isEmpty());
        second = instance("second", shared);
        Thread.sleep(300);
        assertThat(ticks).extracting(Tick::instance).containsOnly("first");

        cutOff.set(true); // as if the first instance's network to the store failed: no renewal, no release
        waitFor(() -> ticks.stream().anyMatch(tick -> tick.instance().equals("second")));

        long lastOfFirst = ticks.stream().filter(tick -> tick.instance().equals("first")).mapToLong(Tick::at).max()
                .orElseThrow();
        assertThat(firstTickOf("second")).as("no overlap: the first stopped before the second started")
                .isGreaterThan(lastOfFirst);
    }

    private CamelContext instance(String name, LockStore store) throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.addService(new LeaseClusterService(name, store, Clock.systemUTC(), LEASE, INTERVAL));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("master:pull-test:timer:tick?delay=0&period=20").routeId("pull-test-" + name)
                        .process(exchange -> ticks.add(new Tick(name, System.currentTimeMillis())));
            }
        });
        context.start();
        return context;
    }

    private long firstTickOf(String instance) {
        return ticks.stream().filter(tick -> tick.instance().equals(instance)).mapToLong(Tick::at).min().orElseThrow();
    }

    private static String holder() {
        return jdbc.queryForList("SELECT owner FROM ccbridge_locks WHERE resource = 'cluster:pull-test' "
                + "AND owner IS NOT NULL", String.class).stream().findFirst().orElse(null);
    }

    private static long token(String owner) {
        return jdbc.queryForObject("SELECT fencing_token FROM ccbridge_locks WHERE resource = 'cluster:pull-test' "
                + "AND owner = ?", Long.class, owner);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
        assertThat(condition.getAsBoolean()).as("within 5 s").isTrue();
    }

    /** A lock store this instance can no longer reach once {@code cutOff} is set. */
    private record Unreachable(LockStore store, AtomicBoolean cutOff) implements LockStore {

        @Override
        public Optional<LockLease> acquire(String resource, String owner, Duration ttl) {
            check();
            return store.acquire(resource, owner, ttl);
        }

        @Override
        public Optional<LockLease> renew(String resource, String owner, Duration ttl) {
            check();
            return store.renew(resource, owner, ttl);
        }

        @Override
        public boolean release(String resource, String owner) {
            check();
            return store.release(resource, owner);
        }

        private void check() {
            if (cutOff.get()) {
                throw new CoordinationStoreUnavailableException("lock store unreachable", null);
            }
        }
    }
}
