package org.ccbridge.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * A WireMock fake of a REST CRM for the gateway tests, running for the whole test JVM so that the
 * embedded-mode tests share one application context whose gateway targets point at it.
 */
public final class FakeCrm {

    public static final WireMockServer SERVER = started();

    private FakeCrm() {
    }

    private static WireMockServer started() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fake-crm-stop"));
        return server;
    }
}
