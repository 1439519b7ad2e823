package org.ccbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes created from a route template (as {@code notify-provider-<name>} are, one per provider)
 * follow their template's file when it is reloaded, and keep the last good text when the new one
 * does not start.
 */
class TemplatedRouteReloadTests {

    private static final String TEMPLATE = """
            # greeting: a template of the test.
            - routeTemplate:
                id: greeting
                parameters:
                  - name: who
                route:
                  from:
                    id: greeting-from
                    uri: "direct:greet-{{who}}"
                    steps:
                      - setBody:
                          id: greeting-words
                          simple: "WORDS {{who}}"
            """;

    @TempDir
    Path folder;

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private Path file;
    private GuardedRouteReloader reloader;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        file = folder.resolve("greeting.camel.yaml");
        Files.writeString(file, TEMPLATE.replace("WORDS", "hello"));
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveMandatoryResource(camel, "file:" + file));
        camel.start();
        TemplatedRoutes templatedRoutes = new TemplatedRoutes(camel);
        templatedRoutes.add("greeting", "greeting-ann", Map.of("who", "ann"));
        templatedRoutes.add("greeting", "greeting-bob", Map.of("who", "bob"));
        reloader = new GuardedRouteReloader(camel, folder, templatedRoutes);
        reloader.snapshot();
        producer = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    @Test
    void theRoutesOfAChangedTemplateAreCreatedAgainFromItsNewText() throws Exception {
        assertThat(greet("ann")).isEqualTo("hello ann");

        Files.writeString(file, TEMPLATE.replace("WORDS", "welcome"));
        ReloadResult result = reloader.reload(file);

        assertThat(result.applied()).as(result.reason()).isTrue();
        assertThat(greet("ann")).isEqualTo("welcome ann");
        assertThat(greet("bob")).isEqualTo("welcome bob");
    }

    @Test
    void aTemplateWhoseRoutesDoNotStartLeavesTheLastGoodOnesRunning() throws Exception {
        Files.writeString(file, TEMPLATE.replace("- setBody:", "- process:")
                .replace("simple: \"WORDS {{who}}\"", "ref: noSuchProcessor"));

        ReloadResult result = reloader.reload(file);

        assertThat(result.applied()).isFalse();
        assertThat(result.reason()).contains("noSuchProcessor");
        assertThat(greet("ann")).isEqualTo("hello ann");
        assertThat(greet("bob")).isEqualTo("hello bob");
    }

    private String greet(String who) {
        return producer.requestBody("direct:greet-" + who, "", String.class);
    }
}
