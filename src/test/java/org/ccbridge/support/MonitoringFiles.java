package org.ccbridge.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.yaml.snakeyaml.Yaml;

/** The Prometheus alert rules and the Grafana dashboard shipped under deploy/, read as a test reads them. */
public final class MonitoringFiles {

    public static final Path ALERTS = Path.of("deploy/prometheus/ccbridge-alerts.yaml");
    public static final Path DASHBOARD = Path.of("deploy/grafana/ccbridge-dashboard.json");

    // a metric is a name followed by a selector, a range or the end of a function's argument
    private static final Pattern METRIC = Pattern.compile("\\b((?:ccbridge|resilience4j|http_server)_[a-z0-9_]+)\\b");

    private MonitoringFiles() {
    }

    /** The alert rules, each as its YAML map (alert, expr, for, labels, annotations). */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> alertRules() throws IOException {
        try (Reader reader = Files.newBufferedReader(ALERTS)) {
            Map<String, Object> file = new Yaml().load(reader);
            List<Map<String, Object>> rules = new ArrayList<>();
            for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
                rules.addAll((List<Map<String, Object>>) group.get("rules"));
            }
            return rules;
        }
    }

    public static JsonNode dashboard() throws IOException {
        return new ObjectMapper().readTree(DASHBOARD.toFile());
    }

    /** Every query of both files: the rules' expressions and the panels' targets. */
    public static List<String> queries() throws IOException {
        List<String> queries = new ArrayList<>();
        alertRules().forEach(rule -> queries.add(String.valueOf(rule.get("expr"))));
        dashboard().path("panels").forEach(panel -> panel.path("targets")
                .forEach(target -> queries.add(target.path("expr").asText())));
        return queries;
    }

    /** The metric names those queries read. */
    public static Set<String> metricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        for (String query : queries()) {
            Matcher metric = METRIC.matcher(query);
            while (metric.find()) {
                names.add(metric.group(1));
            }
        }
        return names;
    }
}
