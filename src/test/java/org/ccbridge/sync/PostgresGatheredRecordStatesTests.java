package org.ccbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.MigratedPostgres;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

@RequiresServices(LocalService.POSTGRESQL)
class PostgresGatheredRecordStatesTests extends GatheredRecordStatesContractTests {

    @Override
    HikariDataSource open() {
        return MigratedPostgres.open(8);
    }

    /**
     * The batch read on a table that grew after it was analyzed empty, as a first sync fills a new
     * table where autovacuum is off or has not run yet: each key is still a primary-key probe.
     * Planned from the statistics, {@code record_key IN (...)} became a scan of every row of the
     * object (12-160 ms for 200 keys, measured in bench/ab-sync.sh).
     */
    @Test
    void theBatchReadProbesThePrimaryKeyOnATableThatGrewSinceItWasAnalyzed() {
        String schema = "ccbridge_plan_" + UUID.randomUUID().toString().substring(0, 8);
        try (HikariDataSource database = MigratedPostgres.open(2)) {
            JdbcTemplate jdbc = new JdbcTemplate(database);
            jdbc.execute("CREATE SCHEMA " + schema);
            try {
                jdbc.execute("CREATE TABLE " + schema + ".ccbridge_sync_records "
                        + "(LIKE public.ccbridge_sync_records INCLUDING ALL)");
                jdbc.execute("ANALYZE " + schema + ".ccbridge_sync_records");
                jdbc.execute("INSERT INTO " + schema + ".ccbridge_sync_records (object_name, record_key, version, "
                        + "status, updates_in_window, halted, fence_token, updated_at, fields) "
                        + "SELECT 'Contact', 'key-' || n, 1, 'RESOLVED', 0, false, 1, 0, repeat('x', 500) "
                        + "FROM generate_series(1, 20000) AS n");
                List<String> keys = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    keys.add("key-" + (i * 97 + 1));
                }
                String plan = String.join("\n", jdbc.execute((java.sql.Connection connection) -> {
                    connection.createStatement().execute("SET search_path TO " + schema);
                    try (var explain = connection.prepareStatement("EXPLAIN " + RecordStateRepository.FIND_ALL_BY_PROBES)) {
                        explain.setArray(1, connection.createArrayOf("varchar", keys.toArray()));
                        explain.setString(2, "Contact");
                        List<String> lines = new ArrayList<>();
                        try (var rows = explain.executeQuery()) {
                            while (rows.next()) {
                                lines.add(rows.getString(1));
                            }
                        }
                        connection.createStatement().execute("SET search_path TO public");
                        return lines;
                    }
                }));

                assertThat(plan).contains("Index Scan using ccbridge_sync_records_pkey")
                        .contains("record_key)::text = (k.record_key)::text")
                        .doesNotContain("Seq Scan on ccbridge_sync_records").doesNotContain("Bitmap Heap Scan");
            } finally {
                jdbc.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
