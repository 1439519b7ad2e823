package org.ccbridge.sync;

import java.util.function.Supplier;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.ccbridge.support.FakeSalesforce;
import org.ccbridge.support.RestTargetFake;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Record sync in both directions for a prod-profile test: contact-center events to a Salesforce
 * fake, and the CRM's own webhooks (source {@code salesforce-events}) to a platform fake.
 */
public final class BothDirectionsSync {

    static final String CRM_SOURCE = "salesforce-events";

    private BothDirectionsSync() {
    }

    public static void register(DynamicPropertyRegistry registry, FakeSalesforce salesforce, WireMockServer platform,
                         String crmSourceSecret, String consumers) {
        registry.add("ccbridge.sync.enabled", () -> "true");
        registry.add("ccbridge.sync.crm-target", () -> "salesforce");
        registry.add("ccbridge.sync.consumers", () -> consumers);
        registry.add("ccbridge.sync.prefetch", () -> consumers);
        Supplier<Object> salesforceUrl = salesforce::url;
        registry.add("ccbridge.crm.targets.salesforce.type", () -> "SALESFORCE");
        registry.add("ccbridge.crm.targets.salesforce.base-url", salesforceUrl);
        registry.add("ccbridge.crm.targets.salesforce.timeout", () -> "2s");
        registry.add("ccbridge.crm.targets.salesforce.salesforce.login-url", salesforceUrl);
        registry.add("ccbridge.crm.targets.salesforce.salesforce.client-id", () -> "ccbridge-e2e");
        registry.add("ccbridge.crm.targets.salesforce.salesforce.client-secret", () -> "e2e-secret");
        // the CRM's own webhooks, synced to the platform by the CRM lane
        registry.add("ccbridge.sources." + CRM_SOURCE + ".format", () -> "standard-webhooks");
        registry.add("ccbridge.sources." + CRM_SOURCE + ".scheme", () -> "standard-webhooks");
        registry.add("ccbridge.sources." + CRM_SOURCE + ".secret", () -> crmSourceSecret);
        registry.add("ccbridge.sync.crm-sources", () -> CRM_SOURCE);
        registry.add("ccbridge.sync.contact-center-target", () -> "platform");
        RestTargetFake.register(registry, "platform", platform.baseUrl() + "/api/v2", "/externalcontacts/contacts/{recordKey}");
    }
}
