package org.ccbridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.ccbridge.broker.BacklogMonitor;
import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.support.FakeSalesforce;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.ProductionModeTestSupport;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.RestTargetFake;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Overload in the prod profile: a backlog in a state-critical lane, driven by pausing that lane's
 * consumer, sheds the non-critical lane while state-critical events keep flowing, a full queue is
 * a fast 503, and everything held back is synced once the backlog is gone.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
@DirtiesContext
class BacklogSheddingEndToEndTests extends ProductionModeTestSupport {

    private static final FakeSalesforce SALESFORCE = new FakeSalesforce();
    private static final WireMockServer PLATFORM = RestTargetFake.acceptingEveryWrite();
    private static final String CRM_SOURCE_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "ccbridge-shedding-crm-source-secret".getBytes(StandardCharsets.UTF_8));
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    private static final String CONTACT_CENTER_LANE = "record-sync-contact-center";
    private static final String NON_CRITICAL_LANE = "record-sync-non-critical";

    @Autowired
    private CamelContext camel;

    @Autowired
    private BacklogMonitor backlog;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        productionServices(registry, LocalService.RABBITMQ.port(), LocalService.POSTGRESQL.port());
        BothDirectionsSync.register(registry, SALESFORCE, PLATFORM, CRM_SOURCE_SECRET, "1");
        // enrichment events are not state-critical: they take the non-critical lane
        registry.add("ccbridge.sources.demo.non-critical-types[0]", () -> "contact.enriched");
        // the test reads the depths itself, when it has put them where it wants them
        registry.add("ccbridge.broker.backlog.interval", () -> "1h");
        registry.add("ccbridge.broker.backlog.queues[ccbridge.digital.interactions].warn", () -> "3");
        registry.add("ccbridge.broker.backlog.queues[ccbridge.digital.interactions].shed", () -> "4");
        registry.add("ccbridge.broker.backlog.queues[ccbridge.digital.interactions].resume", () -> "1");
        registry.add("ccbridge.broker.backlog.queues[ccbridge.non-critical].hard-limit", () -> "2");
    }

    @AfterAll
    static void stopFakes() {
        SALESFORCE.close();
        PLATFORM.stop();
    }

    @Test
    void criticalEventsFlowWhileTheNonCriticalLaneIsShedAndNothingIsLost() throws Exception {
        // a backlog in the digital lane: its consumer paused, five contact changes waiting
        camel.getRouteController().stopRoute(CONTACT_CENTER_LANE);
        for (int i = 1; i <= 5; i++) {
            assertThat(postDemo(contactEvent("contact.updated", "SHED-" + i + "-" + RUN)).statusCode()).isEqualTo(200);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> queues.depth(BrokerTopology.DIGITAL_QUEUE) == 5);
        backlog.sample();
        assertThat(backlog.shedding()).isTrue();
        assertThat(ServiceHelper.isSuspended(camel.getRoute(NON_CRITICAL_LANE).getConsumer())
                || ServiceHelper.isStopped(camel.getRoute(NON_CRITICAL_LANE).getConsumer())).isTrue();

        // non-critical events are accepted into their own queue and wait there
        assertThat(postDemo(contactEvent("contact.enriched", "SHED-NC-1-" + RUN)).statusCode()).isEqualTo(200);
        assertThat(postDemo(contactEvent("contact.enriched", "SHED-NC-2-" + RUN)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> queues.depth(BrokerTopology.NON_CRITICAL_QUEUE) == 2);

        // a state-critical lane that is not backed up keeps syncing: the CRM's change reaches the platform
        String crmKey = "SHED-CRM-" + RUN;
        assertThat(client.postSigned(BothDirectionsSync.CRM_SOURCE, CRM_SOURCE_SECRET, WebhookClient.newEventId(),
                crmEvent(crmKey)).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> !PLATFORM.findAll(patchRequestedFor(
                urlEqualTo("/api/v2/externalcontacts/contacts/" + crmKey))).isEmpty());
        assertThat(queues.depth(BrokerTopology.NON_CRITICAL_QUEUE)).as("still held back").isEqualTo(2);
        assertThat(SALESFORCE.upserts("SHED-NC-1-" + RUN)).isEmpty();

        // the non-critical queue at its hard limit: the next of its events is a fast 503, critical ones pass
        backlog.sample();
        String heldId = WebhookClient.newEventId();
        String held = contactEvent("contact.enriched", "SHED-NC-3-" + RUN);
        long started = System.nanoTime();
        HttpResponse<String> full = client.postDemo(heldId, held);
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(200));
        assertThat(full.headers().firstValue("Retry-After")).contains("3600");
        assertThat(full.body()).contains("full");
        assertThat(postDemo(contactEvent("contact.updated", "SHED-6-" + RUN)).statusCode()).isEqualTo(200);

        // the backlog drains: under the resume threshold the non-critical lane consumes again
        camel.getRouteController().startRoute(CONTACT_CENTER_LANE);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            backlog.sample();
            return !backlog.shedding();
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> queues.depth(BrokerTopology.NON_CRITICAL_QUEUE) == 0
                && !SALESFORCE.upserts("SHED-NC-2-" + RUN).isEmpty());
        backlog.sample();
        assertThat(client.postDemo(heldId, held).statusCode()).as("the refused delivery, retried").isEqualTo(200);

        await().atMost(Duration.ofSeconds(30)).until(() -> !SALESFORCE.upserts("SHED-NC-3-" + RUN).isEmpty());
        for (String key : new String[] {"SHED-1-", "SHED-2-", "SHED-3-", "SHED-4-", "SHED-5-", "SHED-6-", "SHED-NC-1-",
                "SHED-NC-2-", "SHED-NC-3-"}) {
            assertThat(SALESFORCE.upserts(key + RUN)).as(key).hasSize(1);
        }
        assertThat(queues.depth(BrokerTopology.DEAD_LETTER_QUEUE)).isZero();
    }

    private HttpResponse<String> postDemo(String body) {
        return client.postDemo(WebhookClient.newEventId(), body);
    }

    private static String contactEvent(String type, String contactId) {
        return "{\"type\":\"" + type + "\",\"timestamp\":\"2026-11-29T10:00:00Z\",\"data\":{\"channel\":\"digital\","
                + "\"contactId\":\"" + contactId + "\",\"version\":1,\"email\":\"shed@example.com\"}}";
    }

    private static String crmEvent(String key) {
        return "{\"type\":\"contact.updated\",\"timestamp\":\"2026-11-29T10:00:00Z\",\"data\":{"
                + "\"External_Id__c\":\"" + key + "\",\"Sync_Version__c\":1,\"Email\":\"crm@example.com\"}}";
    }
}
