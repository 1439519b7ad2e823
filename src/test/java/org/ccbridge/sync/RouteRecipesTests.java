package org.ccbridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import org.apache.camel.CamelContext;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.RestTargetFake;
import org.ccbridge.support.RouteFolders;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README's "Edit routes" recipes, done the way an integration engineer does them: edit the
 * contact-center lane's route file (or a target's request route) of a running ccbridge, let the guarded reload pick it up, and
 * watch events flow differently. No Java changes.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
// its consumers must not outlive the class: other tests count the messages in the shared queues
@DirtiesContext
class RouteRecipesTests extends ProductionModeTestSupport {

    private static final WireMockServer CRM = RestTargetFake.acceptingEveryWrite();
    private static final WireMockServer CALLBACKS = RestTargetFake.acceptingEveryWrite();
    private static final Path ROUTES = RouteFolders.copyOfProjectRoutes("ccbridge-recipe-routes");
    private static final Path LANE = ROUTES.resolve("record-sync-contact-center-event.camel.yaml");
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String HAND_OVER = """
                  steps:
                    - to:
                        id: record-sync-contact-center-event-run
                        uri: direct:record-sync-prepare
            """;

    @Autowired
    private CamelContext camel;

    private String original;
    private String edited;
    private static int records;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port());
        registry.add("ccbridge.routes-dir", ROUTES::toString);
        registry.add("ccbridge.routes.reload", () -> "true");
        registry.add("ccbridge.routes.quiet-period", () -> "100ms");
        registry.add("ccbridge.sync.enabled", () -> "true");
        registry.add("ccbridge.sync.crm-target", () -> "crm");
        registry.add("ccbridge.sync.consumers", () -> "2");
        RestTargetFake.register(registry, "crm", CRM.baseUrl() + "/api", "/contacts/{recordKey}");
    }

    @BeforeEach
    void remember() throws IOException {
        original = Files.readString(LANE);
        CRM.resetRequests();
        CALLBACKS.resetRequests();
    }

    @AfterEach
    void restore() throws IOException {
        Files.writeString(LANE, original);
        if (edited != null) {
            await().atMost(Duration.ofSeconds(15)).until(() -> camel.getProcessor(edited) == null);
        }
    }

    @AfterAll
    static void stopFakes() {
        CRM.stop();
        CALLBACKS.stop();
    }

    @Test
    void recipeOneAFilterDropsOneEventType() throws IOException {
        edit("""
                      steps:
                        - filter:
                            id: record-sync-contact-center-event-not-surveys
                            simple: "${header.ccbridge-type} != 'survey.completed'"
                            steps:
                              - to:
                                  id: record-sync-contact-center-event-run
                                  uri: direct:record-sync-prepare
                """, "record-sync-contact-center-event-not-surveys");
        String survey = postTypeThenAContactUntilTheContactIsWritten("survey.completed");

        await().atMost(Duration.ofSeconds(5)).until(() -> queues.depth("ccbridge.digital.interactions") == 0);
        // consumed and acked, not written and not back in the queue
        assertThat(crmWrites(survey)).isEmpty();
        assertThat(queues.depth("ccbridge.dlq")).isZero();
    }

    @Test
    void recipeTwoOneEventTypeGoesToASecondRestTarget() throws IOException {
        edit("""
                      steps:
                        - choice:
                            id: record-sync-contact-center-event-by-type
                            when:
                              - id: record-sync-contact-center-event-when-callback
                                simple: "${header.ccbridge-type} == 'callback.requested'"
                                steps:
                                  - setHeader:
                                      id: record-sync-contact-center-event-callback-method
                                      name: CamelHttpMethod
                                      constant: POST
                                  - to:
                                      id: record-sync-contact-center-event-callbacks
                                      uri: "%s/callbacks?throwExceptionOnFailure=true"
                            otherwise:
                              id: record-sync-contact-center-event-otherwise
                              steps:
                                - to:
                                    id: record-sync-contact-center-event-run
                                    uri: direct:record-sync-prepare
                """.formatted(CALLBACKS.baseUrl()), "record-sync-contact-center-event-callbacks");
        String callback = postTypeThenAContactUntilTheContactIsWritten("callback.requested");

        await().atMost(Duration.ofSeconds(10)).until(() -> CALLBACKS.findAll(postRequestedFor(urlEqualTo("/callbacks")))
                .stream().anyMatch(request -> request.getBodyAsString().contains(callback)));
        assertThat(crmWrites(callback)).isEmpty();
    }

    @Test
    void recipeThreeAWireTapCopiesEveryEventToAnAuditLog() throws IOException {
        Logger audit = (Logger) LoggerFactory.getLogger("ccbridge.audit");
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        audit.addAppender(lines);
        try {
            edit("""
                          steps:
                            - wireTap:
                                id: record-sync-contact-center-event-audit
                                uri: "log:ccbridge.audit?showBody=false&showHeaders=true"
                            - to:
                                id: record-sync-contact-center-event-run
                                uri: direct:record-sync-prepare
                    """, "record-sync-contact-center-event-audit");
            String contact = key();

            String eventId = post("contact.updated", contact);

            await().atMost(Duration.ofSeconds(20)).until(() -> crmWrites(contact).size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> lines.list.stream()
                    .anyMatch(line -> line.getFormattedMessage().contains(eventId)));
            // the audit copy names the event, not the customer's data
            assertThat(lines.list).noneMatch(line -> line.getFormattedMessage().contains("@example.com"));
        } finally {
            audit.detachAppender(lines);
        }
    }

    @Test
    void recipeFourAHeaderOnEveryRequestToARestTarget() throws IOException {
        Path targetRoute = ROUTES.resolve("rest-upsert.camel.yaml");
        String request = """
                      steps:
                        - toD:
                            id: rest-upsert-request
                """;
        String shipped = Files.readString(targetRoute);
        assertThat(shipped).contains(request);
        Files.writeString(targetRoute, shipped.replace(request, """
                      steps:
                        - setHeader:
                            id: rest-upsert-tenant
                            name: X-Tenant
                            constant: acme-support
                        - toD:
                            id: rest-upsert-request
                """));
        try {
            await().atMost(Duration.ofSeconds(15)).until(() -> camel.getProcessor("rest-upsert-tenant") != null);
            String contact = key();

            post("contact.updated", contact);

            await().atMost(Duration.ofSeconds(20)).until(() -> crmWrites(contact).size() == 1);
            assertThat(crmWrites(contact).get(0).getHeader("X-Tenant")).isEqualTo("acme-support");
            // the target's own headers are still there: the edit added a step, it replaced nothing
            assertThat(crmWrites(contact).get(0).getHeader("X-Ccbridge-Fencing-Token")).isNotBlank();
        } finally {
            Files.writeString(targetRoute, shipped);
            await().atMost(Duration.ofSeconds(15)).until(() -> camel.getProcessor("rest-upsert-tenant") == null);
        }
    }

    /** Replaces the lane's hand-over step and waits until the running route has the new step. */
    private void edit(String steps, String newStepId) throws IOException {
        assertThat(original).contains(HAND_OVER);
        Files.writeString(LANE, original.replace(HAND_OVER, steps));
        edited = newStepId;
        await().atMost(Duration.ofSeconds(15)).until(() -> camel.getProcessor(newStepId) != null);
    }

    /**
     * Posts an event of {@code type}, then a contact change, and waits until the contact is written
     * to the CRM: the lane has then handled the first event too.
     *
     * @return the record key of the {@code type} event
     */
    private String postTypeThenAContactUntilTheContactIsWritten(String type) {
        String aside = key();
        String contact = key();
        post(type, aside);
        post("contact.updated", contact);
        await().atMost(Duration.ofSeconds(20)).until(() -> crmWrites(contact).size() == 1);
        return aside;
    }

    private String post(String type, String contactId) {
        String eventId = WebhookClient.newEventId();
        String body = "{\"type\":\"" + type + "\",\"timestamp\":\"2026-11-29T10:00:00Z\",\"data\":{\"channel\":\"digital\","
                + "\"contactId\":\"" + contactId + "\",\"version\":1,\"email\":\"" + contactId.toLowerCase()
                + "@example.com\"}}";
        assertThat(client.postDemo(eventId, body).statusCode()).isEqualTo(200);
        return eventId;
    }

    private String key() {
        return "RECIPE-" + RUN + "-" + (++records);
    }

    private static List<LoggedRequest> crmWrites(String recordKey) {
        return CRM.findAll(patchRequestedFor(urlEqualTo("/api/contacts/" + recordKey)));
    }
}
