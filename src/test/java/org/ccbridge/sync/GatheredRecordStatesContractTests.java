package org.ccbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Record states read and saved in batches, as the sync pipeline does them: each save is still
 * fenced on its own, and one refused save does not undo the others of its batch.
 */
abstract class GatheredRecordStatesContractTests {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private HikariDataSource database;
    private RecordStateRepository repository;

    abstract HikariDataSource open();

    private RecordStateRepository repository() {
        if (repository == null) {
            database = open();
            repository = new RecordStateRepository(new JdbcTemplate(database));
        }
        return repository;
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aBatchOfSavesWritesEachRowAndRefusesOnlyTheStaleOnes() {
        RecordStateRepository states = repository();
        String current = key("current");
        String taken = key("taken");
        String fresh = key("fresh");
        states.save(state(current, 1), 5, false, 1);
        states.save(state(taken, 1), 9, false, 1); // a newer holder (token 9) wrote it

        List<Boolean> written = states.saveAll(List.of(
                new RecordStateRepository.Save(state(current, 2), 6, true),
                new RecordStateRepository.Save(state(taken, 2), 7, true),
                new RecordStateRepository.Save(state(fresh, 1), 3, false),
                new RecordStateRepository.Save(state(current + "-created-meanwhile", 1), 4, false)), 2);

        assertThat(written).containsExactly(true, false, true, true);
        Map<String, RecordState> found = states.findAll("Contact", List.of(current, taken, fresh, key("absent")));
        assertThat(found).containsOnlyKeys(current, taken, fresh);
        assertThat(found.get(current).version()).isEqualTo(2);
        assertThat(found.get(taken).version()).isEqualTo(1);
        assertThat(found.get(taken).fenceToken()).isEqualTo(9);
        // a row another holder inserted first is a refusal too, not an error that aborts the batch
        assertThat(states.saveAll(List.of(new RecordStateRepository.Save(state(fresh, 5), 99, false)), 3))
                .containsExactly(false);
    }

    @Test
    void concurrentCallersShareRoundTripsAndEachGetsItsOwnAnswer() throws Exception {
        RecordStateRepository states = repository();
        String stale = key("stale");
        states.save(state(stale, 1), 50, false, 1);
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try (GatheredRecordStates gathered = new GatheredRecordStates(states, 200, 2)) {
            List<Future<Boolean>> saves = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String recordKey = key("many-" + i);
                saves.add(callers.submit(() -> {
                    assertThat(gathered.find("Contact", recordKey)).isEmpty();
                    gathered.save(state(recordKey, 1), 1, false, 1);
                    return gathered.find("Contact", recordKey).orElseThrow().version() == 1;
                }));
            }
            for (Future<Boolean> save : saves) {
                assertThat(save.get()).isTrue();
            }
            assertThatThrownBy(() -> gathered.save(state(stale, 2), 40, true, 2))
                    .isInstanceOf(StaleFenceTokenException.class);
            assertThat(gathered.find("Contact", stale).orElseThrow().version()).isEqualTo(1);
        } finally {
            callers.shutdownNow();
        }
    }

    private String key(String name) {
        return "GATHER-" + run + "-" + name;
    }

    private static RecordState state(String recordKey, long version) {
        Map<String, String> fields = Map.of("email", recordKey.toLowerCase() + "@example.com");
        return new RecordState("Contact", recordKey, version, version, null, null, SyncSystem.CONTACT_CENTER,
                ChangeOrigin.AGENT_INPUT, fields, ContentHash.of(fields), Map.of(), SyncStatus.RESOLVED, "test",
                "event-" + version, null, null, 1, false, 0, Set.of("email"));
    }
}
