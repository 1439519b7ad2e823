package org.ccbridge.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The record sync state table. Every write is fenced: it succeeds only when no holder of a newer
 * lock has written the row, so a writer whose lock expired mid-work cannot overwrite its
 * successor's result.
 */
public class RecordStateRepository implements RecordStates {

    private static final String COLUMNS = "object_name, record_key, version, cc_version, crm_version, modified_at, "
            + "last_system, last_origin, fields, content_hash, written_cc_hash, written_crm_hash, status, status_reason, "
            + "last_event_id, last_applied_at, window_started_at, updates_in_window, halted, fence_token, changed_fields";

    private static final String INSERT = "INSERT INTO ccbridge_sync_records (version, cc_version, crm_version, "
            + "modified_at, last_system, last_origin, fields, content_hash, written_cc_hash, written_crm_hash, status, "
            + "status_reason, last_event_id, last_applied_at, window_started_at, updates_in_window, halted, fence_token, "
            + "changed_fields, updated_at, object_name, record_key) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE ccbridge_sync_records SET version = ?, cc_version = ?, crm_version = ?, "
            + "modified_at = ?, last_system = ?, last_origin = ?, fields = ?, content_hash = ?, written_cc_hash = ?, "
            + "written_crm_hash = ?, status = ?, status_reason = ?, last_event_id = ?, last_applied_at = ?, "
            + "window_started_at = ?, updates_in_window = ?, halted = ?, fence_token = ?, changed_fields = ?, updated_at = ? "
            + "WHERE object_name = ? AND record_key = ? AND fence_token <= ?";

    /**
     * PostgreSQL's batch read: one primary-key probe per key, whatever the table's statistics say.
     * A plain {@code record_key IN (...)} is planned from the statistics, and a table that grew
     * since it was last analyzed (a first sync into a new table, autovacuum off or not yet run)
     * gets a scan of every row of the object: 12-160 ms for 200 keys where the probes take 2-8.
     * The LIMIT keeps the planner from flattening the probes into a join it would plan the same way.
     */
    static final String FIND_ALL_BY_PROBES = "SELECT r.* FROM unnest(?::varchar[]) AS k(record_key) "
            + "CROSS JOIN LATERAL (SELECT " + COLUMNS + " FROM ccbridge_sync_records s "
            + "WHERE s.object_name = ? AND s.record_key = k.record_key LIMIT 1) r";

    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;
    private final TransactionTemplate transactions;

    public RecordStateRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    @Override
    public Optional<RecordState> find(String object, String recordKey) {
        List<RecordState> rows = jdbc.query("SELECT " + COLUMNS + " FROM ccbridge_sync_records "
                + "WHERE object_name = ? AND record_key = ?", RecordStateRepository::row, object, recordKey);
        return rows.stream().findFirst();
    }

    /** The stored states of several records of one object, by record key; absent keys have none. */
    public Map<String, RecordState> findAll(String object, Collection<String> recordKeys) {
        Map<String, RecordState> found = new HashMap<>();
        if (recordKeys.isEmpty()) {
            return found;
        }
        RowCallbackHandler collect = rs -> {
            RecordState state = row(rs, 0);
            found.put(state.recordKey(), state);
        };
        if (postgres()) {
            jdbc.query(FIND_ALL_BY_PROBES, statement -> {
                statement.setArray(1, statement.getConnection().createArrayOf("varchar", recordKeys.toArray()));
                statement.setString(2, object);
            }, collect);
            return found;
        }
        List<Object> arguments = new ArrayList<>(recordKeys.size() + 1);
        arguments.add(object);
        arguments.addAll(recordKeys);
        String placeholders = String.join(", ", Collections.nCopies(recordKeys.size(), "?"));
        jdbc.query("SELECT " + COLUMNS + " FROM ccbridge_sync_records WHERE object_name = ? AND record_key IN ("
                + placeholders + ")", collect, arguments.toArray());
        return found;
    }

    private boolean postgres() {
        Boolean known = postgres;
        if (known == null) {
            known = jdbc.execute((ConnectionCallback<Boolean>) connection ->
                    "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName()));
            postgres = known;
        }
        return known;
    }

    /** One fenced save of {@link #saveAll}. */
    public record Save(RecordState state, long fenceToken, boolean existed) {
    }

    /**
     * Several fenced saves in one transaction and one round trip per statement kind. Each save
     * succeeds or is refused on its own, as {@link #save} would decide it; a refused one does not
     * undo the others.
     *
     * @return per save, in order, whether it was written (false: a holder of a newer lock wrote the row)
     */
    public List<Boolean> saveAll(List<Save> saves, long now) {
        return transactions.execute(status -> {
            List<Object[]> inserts = new ArrayList<>();
            List<Object[]> updates = new ArrayList<>();
            List<Integer> insertIndex = new ArrayList<>();
            List<Integer> updateIndex = new ArrayList<>();
            for (int i = 0; i < saves.size(); i++) {
                Save save = saves.get(i);
                Object[] values = values(save.state(), save.fenceToken(), now);
                if (save.existed()) {
                    updates.add(append(values, save.state().object(), save.state().recordKey(), save.fenceToken()));
                    updateIndex.add(i);
                } else {
                    inserts.add(append(values, save.state().object(), save.state().recordKey()));
                    insertIndex.add(i);
                }
            }
            Boolean[] written = new Boolean[saves.size()];
            // a row another holder created meanwhile is a refusal, not an error that aborts the batch
            record(written, insertIndex, inserts.isEmpty() ? new int[0] : jdbc.batchUpdate(INSERT + " ON CONFLICT DO NOTHING", inserts));
            record(written, updateIndex, updates.isEmpty() ? new int[0] : jdbc.batchUpdate(UPDATE, updates));
            return List.of(written);
        });
    }

    private static void record(Boolean[] written, List<Integer> indexes, int[] counts) {
        for (int i = 0; i < indexes.size(); i++) {
            // SUCCESS_NO_INFO (-2) is not given by the drivers used here; count it as written
            written[indexes.get(i)] = counts[i] == 1 || counts[i] == java.sql.Statement.SUCCESS_NO_INFO;
        }
    }

    /** Records by status, most recently updated first. */
    public List<RecordState> findByStatus(SyncStatus status, int limit, int offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM ccbridge_sync_records WHERE status = ? "
                + "ORDER BY updated_at DESC, record_key LIMIT ? OFFSET ?", RecordStateRepository::row,
                status.name(), limit, offset);
    }

    /**
     * Inserts the row when {@code existed} is false, else updates it if no newer lock wrote it.
     * {@code fenceToken} is the token of the lock the caller holds; the state's own is ignored.
     *
     * @throws StaleFenceTokenException when a holder of a newer lock has written the row
     */
    @Override
    public void save(RecordState state, long fenceToken, boolean existed, long now) {
        Object[] values = values(state, fenceToken, now);
        String record = state.object() + ":" + state.recordKey();
        if (!existed) {
            try {
                jdbc.update(INSERT, append(values, state.object(), state.recordKey()));
                return;
            } catch (DuplicateKeyException e) {
                // another holder created it while this one's lock had lapsed
                throw new StaleFenceTokenException(record, fenceToken);
            }
        }
        int updated = jdbc.update(UPDATE, append(values, state.object(), state.recordKey(), fenceToken));
        if (updated != 1) {
            throw new StaleFenceTokenException(record, fenceToken);
        }
    }

    private static Object[] values(RecordState state, long fenceToken, long now) {
        return new Object[] {state.version(), state.ccVersion(), state.crmVersion(), millis(state.modifiedAt()),
                name(state.lastSystem()), name(state.lastOrigin()), state.hasContent() ? FieldsJson.write(state.fields()) : null,
                state.contentHash(), state.writtenHash().get(SyncSystem.CONTACT_CENTER),
                state.writtenHash().get(SyncSystem.CRM), state.status().name(), truncate(state.statusReason()),
                state.lastEventId(), millis(state.lastAppliedAt()), millis(state.windowStart()), state.updatesInWindow(),
                state.halted(), fenceToken, String.join(",", new TreeSet<>(state.changedFields())), now};
    }

    private static Object[] append(Object[] values, Object... more) {
        Object[] all = new Object[values.length + more.length];
        System.arraycopy(values, 0, all, 0, values.length);
        System.arraycopy(more, 0, all, values.length, more.length);
        return all;
    }

    private static RecordState row(ResultSet rs, int index) throws SQLException {
        Map<SyncSystem, String> written = new EnumMap<>(SyncSystem.class);
        putIfPresent(written, SyncSystem.CONTACT_CENTER, rs.getString("written_cc_hash"));
        putIfPresent(written, SyncSystem.CRM, rs.getString("written_crm_hash"));
        String system = rs.getString("last_system");
        String origin = rs.getString("last_origin");
        return new RecordState(rs.getString("object_name"), rs.getString("record_key"), rs.getLong("version"),
                nullableLong(rs, "cc_version"), nullableLong(rs, "crm_version"), instant(rs, "modified_at"),
                system == null ? null : SyncSystem.valueOf(system), origin == null ? null : ChangeOrigin.valueOf(origin),
                FieldsJson.read(rs.getString("fields")), rs.getString("content_hash"), written,
                SyncStatus.valueOf(rs.getString("status")), rs.getString("status_reason"), rs.getString("last_event_id"),
                instant(rs, "last_applied_at"), instant(rs, "window_started_at"), rs.getInt("updates_in_window"),
                rs.getBoolean("halted"), rs.getLong("fence_token"), changedFields(rs.getString("changed_fields")));
    }

    private static Set<String> changedFields(String names) {
        return names == null || names.isEmpty() ? Set.of() : Set.of(names.split(","));
    }

    private static void putIfPresent(Map<SyncSystem, String> map, SyncSystem system, String hash) {
        if (hash != null) {
            map.put(system, hash);
        }
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Long millis = nullableLong(rs, column);
        return millis == null ? null : Instant.ofEpochMilli(millis);
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
