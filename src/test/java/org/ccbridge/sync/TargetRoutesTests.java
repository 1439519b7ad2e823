package org.ccbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;

import org.ccbridge.crm.TargetUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The targets' requests run through their route files (salesforce-upsert, rest-upsert): without
 * the route a write fails as a target that cannot be reached, with the missing endpoint named,
 * and goes the way of any such failure; with the route back, the same change is written.
 */
class TargetRoutesTests {

    private static final SyncFixture FIXTURE = new SyncFixture();
    private static final SyncPipelineHarness PIPELINE = FIXTURE.pipeline();

    @AfterAll
    static void close() {
        PIPELINE.close();
        FIXTURE.close();
    }

    @Test
    void aWriteWithoutItsTargetRouteIsDeadLetteredNamingTheRouteAndWrittenOnceTheRouteIsBack() throws Exception {
        FIXTURE.camel.getRouteController().stopRoute("salesforce-upsert");
        FIXTURE.camel.removeRoute("salesforce-upsert");

        SyncPipelineHarness.Result withoutRoute = deliver("ROUTELESS-1");

        assertThat(withoutRoute.deadLetter()).isNotNull();
        assertThat(withoutRoute.deadLetter().error())
                .startsWith(TargetUnavailableException.class.getSimpleName())
                .contains("direct://salesforce-upsert");
        assertThat(FIXTURE.salesforce.upserts("ROUTELESS-1")).isEmpty();

        SyncPipelineHarness.loadRouteFiles(FIXTURE.camel, "salesforce-upsert.camel.yaml");
        SyncPipelineHarness.Result withRoute = deliver("ROUTELESS-1");

        assertThat(withRoute.status()).isEqualTo("RESOLVED");
        assertThat(FIXTURE.salesforce.upserts("ROUTELESS-1")).hasSize(1);
    }

    private SyncPipelineHarness.Result deliver(String key) {
        return PIPELINE.deliver("genesys", key,
                "{\"data\":{\"version\":3,\"modifiedAt\":\"2026-11-24T10:00:00Z\",\"email\":\"a@example.com\"}}");
    }
}
