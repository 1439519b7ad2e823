package org.ccbridge.coordination;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.auth.OAuthClientProperties;
import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.store.JdbcIdempotencyStore;
import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.store.JdbcTokenStore;
import org.ccbridge.support.MigratedH2;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The gateway across a restart, and in front of a target that takes OAuth bearer tokens; the
 * store is H2 and the platform a WireMock fake of its token endpoint and API.
 */
class MutationGatewayTests {

    private static WireMockServer platform;
    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() {
        platform = new WireMockServer(wireMockConfig().dynamicPort().jettyHeaderResponseSize(32768));
        platform.start();
        dataSource = MigratedH2.open("gateway", 10);
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void stop() {
        platform.stop();
        dataSource.close();
    }

    @BeforeEach
    void clean() {
        platform.resetAll();
        jdbc.update("DELETE FROM ccbridge_oauth_tokens");
        jdbc.update("DELETE FROM ccbridge_idempotency");
        jdbc.update("DELETE FROM ccbridge_oauth_refresh_backoff");
    }

    @Test
    void responseStoredBeforeARestartIsReplayedAfterIt() {
        platform.stubFor(post(urlEqualTo("/oauth/token")).willReturn(okJson("{\"access_token\":\"tok\",\"expires_in\":3600}")));
        platform.stubFor(post(urlEqualTo("/api/cases")).willReturn(aResponse().withStatus(201).withBody("{\"case\":1}")));

        MutationGateway.Result before = newProcess().handle("flows", "platform", HttpMethod.POST, "/cases",
                Map.of(), "{\"subject\":\"refund\"}".getBytes(), "restart-key");
        MutationGateway.Result after = newProcess().handle("flows", "platform", HttpMethod.POST, "/cases",
                Map.of(), "{\"subject\":\"refund\"}".getBytes(), "restart-key");

        assertThat(before.replayed()).isFalse();
        assertThat(after.replayed()).isTrue();
        assertThat(new String(after.response().body())).isEqualTo("{\"case\":1}");
        platform.verify(1, postRequestedFor(urlEqualTo("/api/cases")));
    }

    @Test
    void targetThatRefusesTheTokenGetsTheRequestAgainWithANewOne() {
        platform.stubFor(post(urlEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("second").willReturn(okJson("{\"access_token\":\"tok-1\",\"expires_in\":86399}")));
        platform.stubFor(post(urlEqualTo("/oauth/token")).inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(okJson("{\"access_token\":\"tok-2\",\"expires_in\":86399}")));
        // the platform revoked tok-1
        platform.stubFor(post(urlEqualTo("/api/conversations/c1/attributes"))
                .withHeader("Authorization", equalTo("Bearer tok-1")).willReturn(aResponse().withStatus(401)));
        platform.stubFor(post(urlEqualTo("/api/conversations/c1/attributes"))
                .withHeader("Authorization", equalTo("Bearer tok-2")).willReturn(aResponse().withStatus(202)));

        MutationGateway.Result result = newProcess().handle("flows", "platform", HttpMethod.POST,
                "/conversations/c1/attributes", Map.of(), "{\"disposition\":\"resolved\"}".getBytes(), "oauth-key");

        assertThat(result.response().status()).isEqualTo(202);
        platform.verify(2, postRequestedFor(urlEqualTo("/oauth/token")));
        platform.verify(2, postRequestedFor(urlEqualTo("/api/conversations/c1/attributes"))
                .withHeader("Idempotency-Key", equalTo("oauth-key")));
    }

    @Test
    void serverErrorIsStoredAndReplayedWhenTheTargetIsConfiguredSo() {
        platform.stubFor(post(urlEqualTo("/oauth/token")).willReturn(okJson("{\"access_token\":\"tok\",\"expires_in\":3600}")));
        platform.stubFor(post(urlEqualTo("/api/payments")).willReturn(aResponse().withStatus(500).withBody("{\"error\":\"declined late\"}")));
        MutationGateway gateway = newProcess(true);

        MutationGateway.Result first = gateway.handle("flows", "platform", HttpMethod.POST, "/payments", Map.of(),
                "{}".getBytes(), "pay-1");
        MutationGateway.Result retry = gateway.handle("flows", "platform", HttpMethod.POST, "/payments", Map.of(),
                "{}".getBytes(), "pay-1");

        assertThat(first.response().status()).isEqualTo(500);
        assertThat(retry.replayed()).isTrue();
        assertThat(retry.response().status()).isEqualTo(500);
        platform.verify(1, postRequestedFor(urlEqualTo("/api/payments")));
    }

    @Test
    void aResponseTheStoreCannotKeepStillGoesBackToTheCaller() {
        // the headers column holds 8 KB; the target acted, so its answer must not become an error
        platform.stubFor(post(urlEqualTo("/oauth/token")).willReturn(okJson("{\"access_token\":\"tok\",\"expires_in\":3600}")));
        platform.stubFor(post(urlEqualTo("/api/cases")).willReturn(aResponse().withStatus(201)
                .withHeader("Location", "/api/cases/" + "9".repeat(9000)).withBody("{\"case\":2}")));

        MutationGateway.Result result = newProcess().handle("flows", "platform", HttpMethod.POST, "/cases", Map.of(),
                "{\"subject\":\"long\"}".getBytes(), "long-location-key");

        assertThat(result.response().status()).isEqualTo(201);
        assertThat(new String(result.response().body())).isEqualTo("{\"case\":2}");
    }

    @Test
    void aThrottledTokenEndpointIsA503WithItsRetryAfterForEveryInstance() {
        platform.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "120").withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"too_many_requests\"}")));

        CoordinationProblemException first = catchThrowableOfType(CoordinationProblemException.class,
                () -> newProcess().handle("flows", "platform", HttpMethod.POST, "/cases", Map.of(), "{}".getBytes(),
                        "throttled-1"));
        CoordinationProblemException second = catchThrowableOfType(CoordinationProblemException.class,
                () -> newProcess().handle("flows", "platform", HttpMethod.POST, "/cases", Map.of(), "{}".getBytes(),
                        "throttled-2"));

        assertThat(first.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(first.retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(second.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(second.retryAfter().orElseThrow()).isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120));
        assertThat(second.getMessage()).contains("back off");
        platform.verify(1, postRequestedFor(urlEqualTo("/oauth/token")));
        platform.verify(0, postRequestedFor(urlEqualTo("/api/cases")));
    }

    @Test
    void aProblemThatKnowsWhenToRetrySaysSoInRetryAfter() {
        CoordinationProblems problems = new CoordinationProblems();

        assertThat(problems.problem(new CoordinationProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Target unavailable",
                "no token", Duration.ofMillis(119_001))).getHeaders().getFirst("Retry-After")).isEqualTo("120");
        assertThat(problems.problem(new CoordinationProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Target unavailable",
                "no token")).getHeaders().getFirst("Retry-After")).isEqualTo("1");
        assertThat(problems.problem(new CoordinationProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Reused",
                "key reused", Duration.ofSeconds(5))).getHeaders().getFirst("Retry-After")).isNull();
    }

    private MutationGateway newProcess() {
        return newProcess(false);
    }

    /** A gateway as a freshly started instance builds it: nothing shared but the store. */
    private MutationGateway newProcess(boolean storeServerErrors) {
        OAuthClientProperties.Client client = new OAuthClientProperties.Client(platform.baseUrl() + "/oauth/token",
                "client-id", "client-secret", "", "basic", Duration.ofSeconds(5), Duration.ofHours(1));
        OAuthTokenCache tokens = new OAuthTokenCache(new OAuthClientProperties(Map.of("platform", client),
                Duration.ofSeconds(2)), new JdbcTokenStore(jdbc, Clock.systemUTC()),
                new JdbcLockStore(jdbc, Clock.systemUTC()), Clock.systemUTC());
        GatewayProperties.Target target = new GatewayProperties.Target(platform.baseUrl() + "/api", true,
                "Idempotency-Key", "platform", "", "", Duration.ofSeconds(5), storeServerErrors, List.of("Content-Type"),
                List.of("Content-Type", "Location"), 0, 0, new GatewayProperties.CircuitBreaker(100, 100, 50, Duration.ofSeconds(60), 10));
        return new MutationGateway(new JdbcIdempotencyStore(jdbc, Clock.systemUTC()), tokens,
                new GatewayProperties(Duration.ofHours(24), DataSize.ofMegabytes(1), Map.of("platform", target)), RateLimits.inMemory());
    }
}
