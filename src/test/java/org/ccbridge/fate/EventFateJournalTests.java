package org.ccbridge.fate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.MigratedPostgres;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The fate journal on PostgreSQL: entries written in batches off the caller's thread, read back as
 * stories, kept through a database outage up to the buffer, dropped and counted past it, flushed
 * at shutdown, and purged after the retention.
 */
@RequiresServices(LocalService.POSTGRESQL)
class EventFateJournalTests {

    private static final TcpProxy POSTGRES = new TcpProxy(LocalService.POSTGRESQL.port()).up();
    private static HikariDataSource direct;
    private static HikariDataSource proxied;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final String source = "fate-" + UUID.randomUUID().toString().substring(0, 8);
    private EventFateJournal journal;

    @BeforeAll
    static void openDatabase() {
        direct = MigratedPostgres.open(2);
        proxied = new HikariDataSource();
        proxied.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + POSTGRES.port() + "/test");
        proxied.setUsername("postgres");
        proxied.setMaximumPoolSize(2);
        proxied.setConnectionTimeout(500);
    }

    @AfterEach
    void stopJournal() throws InterruptedException {
        POSTGRES.up();
        if (journal != null) {
            journal.destroy();
        }
    }

    @AfterAll
    static void close() {
        proxied.close();
        direct.close();
        POSTGRES.close();
    }

    @Test
    void entriesAreWrittenInBatchesAndReadBackAsStoriesInOrder() {
        journal = journal(100_000, 50);
        Instant start = Instant.parse("2026-12-07T10:00:00Z");
        for (int i = 0; i < 300; i++) {
            journal.append(entry("e" + (i % 3), start.plusMillis(i), FateStage.SYNCED, "rk-" + source + "-" + (i % 3),
                    Map.of("status", "RESOLVED", "n", i)));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> written() == 300);
        List<FateEntry> story = repository(direct).story(source, "e1");
        assertThat(story).hasSize(100);
        assertThat(story).extracting(FateEntry::at).isSorted();
        assertThat(story.get(0).detail()).containsEntry("status", "RESOLVED").containsEntry("n", 1);
        assertThat(story.get(0).recordKey()).isEqualTo("rk-" + source + "-1");
        assertThat(repository(direct).eventsOfRecord("rk-" + source + "-2", 10))
                .containsExactly(new EventFateRepository.EventRef(source, "e2", start.plusMillis(2)));
    }

    @Test
    void whileTheDatabaseIsAwayEntriesWaitUpToTheBufferAndThoseBeyondAreDroppedAndCounted() {
        journal = journal(10, 50);
        POSTGRES.down();
        journal.append(entry("first", Instant.now(), FateStage.RECEIVED, null, Map.of()));
        // the writer holds it in its batch, failed to write it, and pauses a second before trying again
        await().atMost(Duration.ofSeconds(5))
                .until(() -> registry.counter("ccbridge.fate.write.failures").count() >= 1);

        long started = System.nanoTime();
        for (int i = 0; i < 25; i++) {
            journal.append(entry("later-" + i, Instant.now(), FateStage.RECEIVED, null, Map.of()));
        }
        Duration appending = Duration.ofNanos(System.nanoTime() - started);

        assertThat(appending).as("appending never waits for the database").isLessThan(Duration.ofMillis(200));
        assertThat(registry.counter("ccbridge.fate.dropped").count()).isEqualTo(15);
        assertThat(journal.queuedCount()).isEqualTo(10);

        POSTGRES.up();
        await().atMost(Duration.ofSeconds(15)).until(() -> written() == 11);
        assertThat(repository(direct).story(source, "first")).hasSize(1);
        assertThat(repository(direct).story(source, "later-9")).hasSize(1);
        assertThat(repository(direct).story(source, "later-10")).isEmpty();
    }

    @Test
    void stoppingWritesWhatIsStillQueued() throws InterruptedException {
        journal = journal(100_000, 10);
        for (int i = 0; i < 500; i++) {
            journal.append(entry("shutdown", Instant.now(), FateStage.SYNCED, null, Map.of("n", i)));
        }

        journal.destroy();

        assertThat(repository(direct).story(source, "shutdown")).hasSize(500);
    }

    @Test
    void thePurgeDeletesEntriesOlderThanTheCutoffOnly() {
        Instant now = Instant.now();
        repository(direct).insertAll(List.of(entry("old", now.minus(Duration.ofHours(73)), FateStage.RECEIVED, null,
                Map.of()), entry("recent", now.minus(Duration.ofHours(71)), FateStage.RECEIVED, null, Map.of())));

        repository(direct).purgeBefore(now.minus(Duration.ofHours(72)));

        assertThat(repository(direct).story(source, "old")).isEmpty();
        assertThat(repository(direct).story(source, "recent")).hasSize(1);
    }

    private EventFateJournal journal(int buffer, int batchSize) {
        return new EventFateJournal(repository(proxied), new EventFateProperties(true, Duration.ofHours(72), buffer,
                batchSize, Duration.ofMinutes(5)), registry, Clock.systemUTC());
    }

    private static EventFateRepository repository(HikariDataSource dataSource) {
        return new EventFateRepository(new JdbcTemplate(dataSource), new ObjectMapper());
    }

    private FateEntry entry(String eventId, Instant at, FateStage stage, String recordKey, Map<String, Object> detail) {
        return new FateEntry(source, eventId, at, stage, recordKey, null, detail);
    }

    private double written() {
        return registry.counter("ccbridge.fate.written").count();
    }
}
