package org.ccbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.ccbridge.support.MonitoringFiles;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the dashboard under deploy/ are well formed and cover what the issue asks
 * for. That their metrics are the service's own is checked against a running service, in
 * RecordSyncEndToEndTests.
 */
class MonitoringFilesTests {

    @Test
    void everyAlertSaysHowLongHowBadAndWhatToDo() throws IOException {
        assertThat(MonitoringFiles.alertRules()).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule).containsKeys("alert", "expr", "for");
            assertThat(map(rule.get("labels"))).as("%s", rule.get("alert")).containsKey("severity");
            assertThat(map(rule.get("annotations"))).as("%s", rule.get("alert")).containsKeys("summary", "description");
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object yaml) {
        return (Map<String, Object>) yaml;
    }

    @Test
    void theAlertsCoverWhatOperatorsMustHear() throws IOException {
        assertThat(MonitoringFiles.alertRules()).extracting(rule -> String.valueOf(rule.get("expr")))
                .anyMatch(expr -> expr.contains("ccbridge_ingress_ack_seconds_bucket") && expr.endsWith("> 0.2"))
                .anyMatch(expr -> expr.contains("outcome=~\"unavailable|error\""))
                .anyMatch(expr -> expr.contains("http_server_requests_seconds_count{status=~\"5..\"}"))
                .anyMatch(expr -> expr.contains("ccbridge_queue_backlog_level) >= 1"))
                .anyMatch(expr -> expr.contains("resilience4j_circuitbreaker_state{state=~\"open|forced_open\"}"))
                .anyMatch(expr -> expr.contains("ccbridge_queue_depth{queue=\"ccbridge.dlq\"}"))
                .anyMatch(expr -> expr.contains("ccbridge_notify_failed"))
                .anyMatch(expr -> expr.contains("ccbridge_sync_reviews_open"))
                .anyMatch(expr -> expr.contains("ccbridge_fate_dropped_total"))
                .anyMatch(expr -> expr.contains("ccbridge_pull_connected) == 0"))
                .anyMatch(expr -> expr.contains("ccbridge_pull_lag_seconds"));
    }

    @Test
    void everyDashboardPanelQueriesPrometheusThroughItsVariable() throws IOException {
        JsonNode dashboard = MonitoringFiles.dashboard();

        assertThat(dashboard.path("uid").asText()).isEqualTo("ccbridge-overview");
        assertThat(dashboard.path("panels")).isNotEmpty().allSatisfy(panel -> {
            assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty()
                    .allSatisfy(target -> assertThat(target.path("expr").asText()).isNotBlank());
        });
        assertThat(MonitoringFiles.metricNames()).contains("ccbridge_queue_depth", "resilience4j_circuitbreaker_state",
                "ccbridge_notify_failed", "ccbridge_sync_reviews_open", "ccbridge_sync_changes_total");
    }
}
