package org.ccbridge.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

import org.springframework.test.context.DynamicPropertyRegistry;

/** A REST API that the sync writes to (a CRM or a contact-center platform), faked with WireMock. */
public final class RestTargetFake {

    private RestTargetFake() {
    }

    /** A started fake that accepts every request with 200 and an empty JSON object, as an upsert API does. */
    public static WireMockServer acceptingEveryWrite() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{}")));
        return server;
    }

    /** Configures {@code ccbridge.crm.targets.<name>} as a REST target at {@code baseUrl}, 2 s per call. */
    public static void register(DynamicPropertyRegistry registry, String name, String baseUrl, String upsertPath) {
        String prefix = "ccbridge.crm.targets." + name;
        registry.add(prefix + ".type", () -> "REST");
        registry.add(prefix + ".base-url", () -> baseUrl);
        registry.add(prefix + ".upsert-path", () -> upsertPath);
        registry.add(prefix + ".timeout", () -> "2s");
    }
}
