package org.ccbridge.sync;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ccbridge.batch.GatherTimeoutException;
import org.ccbridge.batch.Gatherer;
import org.springframework.dao.QueryTimeoutException;

/**
 * The record states for the sync pipeline's many concurrent exchanges: the reads of all records
 * waiting at the same moment are one SELECT, their saves one transaction with one batched
 * statement per kind (insert, update), each save still fenced on its own. A lone change waits for
 * nothing extra.
 */
public class GatheredRecordStates implements RecordStates, AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private record Key(String object, String recordKey) {
    }

    private final Gatherer<Key, Optional<RecordState>> reads;
    private final Gatherer<RecordStateRepository.Save, Boolean> saves;

    public GatheredRecordStates(RecordStateRepository repository, int maxBatch, int workers) {
        this.reads = new Gatherer<>("state-reads", maxBatch, workers, keys -> readAll(repository, keys));
        this.saves = new Gatherer<>("state-saves", maxBatch, workers,
                batch -> repository.saveAll(batch, System.currentTimeMillis()));
    }

    @Override
    public Optional<RecordState> find(String object, String recordKey) {
        try {
            return reads.call(new Key(object, recordKey), WAIT);
        } catch (GatherTimeoutException e) {
            throw new QueryTimeoutException("no record state read within " + WAIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading record " + object + ":" + recordKey, e);
        }
    }

    @Override
    public void save(RecordState state, long fenceToken, boolean existed, long now) {
        boolean written;
        try {
            written = saves.call(new RecordStateRepository.Save(state, fenceToken, existed), WAIT);
        } catch (GatherTimeoutException e) {
            throw new QueryTimeoutException("no record state save within " + WAIT.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while saving record " + state.object() + ":" + state.recordKey(), e);
        }
        if (!written) {
            throw new StaleFenceTokenException(state.object() + ":" + state.recordKey(), fenceToken);
        }
    }

    private static List<Optional<RecordState>> readAll(RecordStateRepository repository, List<Key> keys) {
        Map<String, Set<String>> byObject = new LinkedHashMap<>();
        keys.forEach(key -> byObject.computeIfAbsent(key.object(), object -> new LinkedHashSet<>()).add(key.recordKey()));
        Map<Key, RecordState> found = new LinkedHashMap<>();
        byObject.forEach((object, recordKeys) -> repository.findAll(object, recordKeys)
                .forEach((recordKey, state) -> found.put(new Key(object, recordKey), state)));
        List<Optional<RecordState>> results = new ArrayList<>(keys.size());
        keys.forEach(key -> results.add(Optional.ofNullable(found.get(key))));
        return results;
    }

    @Override
    public void close() {
        reads.close();
        saves.close();
    }
}
