package org.ccbridge.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.test.context.DynamicPropertyRegistry;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A WireMock fake of NICE CXone for the {@code cxone-poll} sources: its token endpoint (client
 * credentials, tokens of an hour) and the Real-Time Data {@code contacts/states} endpoint, which
 * answers what a test programs for a given {@code updatedSince}, and 304 (nothing changed) to
 * anything else, as CXone does when no state changed. It runs for the whole test JVM, like
 * {@link FakeCrm}, because the embedded-mode context polls it.
 */
public final class FakeCxone {

    public static final WireMockServer SERVER = started();
    public static final String STATES_PATH = "/incontactapi/services/v27.0/contacts/states";
    public static final String TOKEN_PATH = "/auth/token";
    public static final String CLIENT_ID = "ccbridge-cxone-test";
    public static final String CLIENT_SECRET = "cxone-test-client-secret";

    private FakeCxone() {
    }

    /** Back to a platform where nothing changes: tokens, and 304 to every poll. */
    public static void reset() {
        SERVER.resetAll();
        stubDefaults(SERVER);
    }

    /** A source of kind cxone-poll named {@code source} that polls this fake every {@code interval}. */
    public static void registerSource(DynamicPropertyRegistry registry, String source, String interval) {
        registry.add("ccbridge.oauth.clients.cxone-test.token-url", () -> SERVER.baseUrl() + TOKEN_PATH);
        registry.add("ccbridge.oauth.clients.cxone-test.client-id", () -> CLIENT_ID);
        registry.add("ccbridge.oauth.clients.cxone-test.client-secret", () -> CLIENT_SECRET);
        registry.add("ccbridge.sources." + source + ".kind", () -> "cxone-poll");
        registry.add("ccbridge.sources." + source + ".format", () -> "nice-cxone");
        registry.add("ccbridge.sources." + source + ".pull.oauth-client", () -> "cxone-test");
        registry.add("ccbridge.sources." + source + ".pull.url", () -> SERVER.baseUrl() + STATES_PATH);
        registry.add("ccbridge.sources." + source + ".pull.interval", () -> interval);
        registry.add("ccbridge.sources." + source + ".pull.timeout", () -> "5s");
    }

    /** The answer to a poll with {@code updatedSince}: the states changed since, and the next cursor. */
    public static void page(String updatedSince, String lastPollTime, String... states) {
        SERVER.stubFor(poll(updatedSince).atPriority(1).willReturn(pageAnswer(lastPollTime, states)));
    }

    /**
     * Polls with {@code updatedSince} get {@code answers} in turn, one per poll; the last one stays.
     */
    public static void answersInTurn(String updatedSince, ResponseDefinitionBuilder... answers) {
        for (int i = 0; i < answers.length; i++) {
            ScenarioMappingBuilder stub = poll(updatedSince).atPriority(1).inScenario("answers after " + updatedSince)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answer " + i);
            if (i < answers.length - 1) {
                stub = stub.willSetStateTo("answer " + (i + 1));
            }
            SERVER.stubFor(stub.willReturn(answers[i]));
        }
    }

    /** A 200 with a page of states, as CXone answers a poll. */
    public static ResponseDefinitionBuilder pageAnswer(String lastPollTime, String... states) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
                .withBody(pageBody(lastPollTime, states));
    }

    /** The body of a page, as CXone answers it. */
    public static String pageBody(String lastPollTime, String... states) {
        return "{\"lastPollTime\":\"" + lastPollTime + "\",\"contactStates\":["
                + Arrays.stream(states).collect(Collectors.joining(",")) + "]}";
    }

    /** A poll with this {@code updatedSince}. */
    public static MappingBuilder poll(String updatedSince) {
        return get(urlPathEqualTo(STATES_PATH)).withQueryParam("updatedSince", equalTo(updatedSince));
    }

    /** One contact's state as CXone reports it; no customer data. */
    public static String state(String contactId, String stateName, String lastUpdateTime) {
        return "{\"contactId\":\"" + contactId + "\",\"masterContactId\":\"" + contactId + "\",\"contactStateName\":\""
                + stateName + "\",\"mediaTypeName\":\"Call\",\"skillId\":\"4021\",\"agentId\":\"1138\","
                + "\"lastUpdateTime\":\"" + lastUpdateTime + "\"}";
    }

    /** The polls made so far, oldest first. */
    public static List<LoggedRequest> polls() {
        return SERVER.findAll(getRequestedFor(urlPathEqualTo(STATES_PATH)));
    }

    private static WireMockServer started() {
        WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "fake-cxone-stop"));
        stubDefaults(server);
        return server;
    }

    private static void stubDefaults(WireMockServer server) {
        server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"cxone-token\",\"token_type\":\"bearer\",\"expires_in\":3600}")));
        server.stubFor(get(urlPathEqualTo(STATES_PATH)).atPriority(10).willReturn(aResponse().withStatus(304)));
    }
}
