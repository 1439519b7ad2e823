package org.ccbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Live reload of route files on the running service: good edits apply, bad ones are rejected and
 * what runs keeps running. (Camel 4.17's own reload would have removed every route.)
 */
class GuardedRouteReloaderTests extends EmbeddedModeTestSupport {

    private static final Path INGRESS = ROUTES_DIR.resolve("webhook-ingress.camel.yaml");
    private static final Path ERRORS = ROUTES_DIR.resolve("ingress-errors.camel.yaml");
    private static final String REPLY_STEP = """
                    - process:
                        id: webhook-ingress-reply
                        ref: ingressReplyProcessor
            """;

    @Autowired
    GuardedRouteReloader reloader;

    @Autowired
    CamelContext camel;

    private String originalIngress;
    private String originalErrors;

    @BeforeEach
    void remember() throws IOException {
        originalIngress = Files.readString(INGRESS);
        originalErrors = Files.readString(ERRORS);
    }

    @AfterEach
    void restore() throws IOException {
        Files.writeString(ERRORS, originalErrors);
        Files.writeString(INGRESS, originalIngress);
        assertThat(reloader.reload(ERRORS).applied()).isTrue();
        assertThat(reloader.reload(INGRESS).applied()).isTrue();
    }

    @Test
    void editedFileAppliesWithoutRestartThroughTheWatcher() throws Exception {
        Files.writeString(INGRESS, withStepAfterReply("X-Ccbridge-Reloaded", "yes"));

        HttpResponse<String> response = awaitHeader("X-Ccbridge-Reloaded", Duration.ofSeconds(15));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Ccbridge-Reloaded")).hasValue("yes");
    }

    @Test
    void fileThatDoesNotParseIsRejectedAndTheRoutesKeepRunning() throws IOException {
        Files.writeString(INGRESS, "- route:\n    id: webhook-ingress\n    from: [unclosed\n");

        ReloadResult result = reloader.reload(INGRESS);

        assertThat(result.applied()).isFalse();
        assertThat(result.reason()).startsWith("it does not parse");
        assertThat(camel.getRouteController().getRouteStatus("webhook-ingress")).isEqualTo(ServiceStatus.Started);
        assertThat(postEvent().statusCode()).isEqualTo(200);
    }

    @Test
    void routesThatDoNotStartAreRolledBackToTheLastGoodVersion() throws IOException {
        String broken = withStepAfterReply("X-Ccbridge-Reloaded", "yes")
                .replace("ref: ingressReplyProcessor", "ref: noSuchProcessor");
        Files.writeString(INGRESS, broken);

        ReloadResult result = reloader.reload(INGRESS);

        assertThat(result.applied()).isFalse();
        assertThat(result.reason()).startsWith("its routes did not start").contains("noSuchProcessor");
        assertThat(camel.getRouteController().getRouteStatus("webhook-ingress")).isEqualTo(ServiceStatus.Started);
        HttpResponse<String> response = postEvent();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Ccbridge-Reloaded")).isEmpty();
    }

    @Test
    void routeWithoutIdIsRejected() throws IOException {
        Files.writeString(INGRESS, originalIngress.replace("    id: webhook-ingress\n", ""));

        ReloadResult result = reloader.reload(INGRESS);

        assertThat(result.applied()).isFalse();
        assertThat(result.reason()).contains("no id");
        assertThat(postEvent().statusCode()).isEqualTo(200);
    }

    @Test
    void editedRouteConfigurationReachesTheRoutesThatUseIt() throws IOException {
        Files.writeString(ERRORS, originalErrors + """
                            - setHeader:
                                id: ingress-errors-marker
                                name: X-Ccbridge-Errors
                                constant: "v2"
                """);

        ReloadResult result = reloader.reload(ERRORS);

        assertThat(result.applied()).as(result.reason()).isTrue();
        HttpResponse<String> unauthorized = client.post("demo", "{}".getBytes(),
                java.util.Map.of("Content-Type", "application/json"));
        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertThat(unauthorized.headers().firstValue("X-Ccbridge-Errors")).hasValue("v2");
        assertThat(postEvent().statusCode()).isEqualTo(200);
    }

    private String withStepAfterReply(String header, String value) {
        assertThat(originalIngress).contains(REPLY_STEP);
        return originalIngress.replace(REPLY_STEP, REPLY_STEP + """
                        - setHeader:
                            id: webhook-ingress-marker
                            name: %s
                            constant: "%s"
                """.formatted(header, value));
    }

    private HttpResponse<String> awaitHeader(String header, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> response = postEvent();
        while (response.headers().firstValue(header).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = postEvent();
        }
        return response;
    }

    private HttpResponse<String> postEvent() {
        return client.postDemo("msg_" + UUID.randomUUID(), WebhookClient.demoEvent("voice", "c-reload"));
    }
}
