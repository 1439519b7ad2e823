package org.ccbridge.auth;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.LockStore;
import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.store.JdbcTokenStore;
import org.ccbridge.support.MigratedH2;
import org.ccbridge.support.SettableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The token cache against a fake token endpoint that answers like Genesys Cloud's
 * ({@code POST /oauth/token}, HTTP Basic client authentication, {@code expires_in} in seconds),
 * with the shared stores on H2.
 */
class OAuthTokenCacheTests {

    private static final String TOKEN_PATH = "/oauth/token";
    private static final String CLIENT_ID = "genesys-client-id";
    private static final String CLIENT_SECRET = "genesys-client-secret-value";

    private static WireMockServer platform;
    private static HikariDataSource dataSource;
    private static JdbcTemplate jdbc;
    private static TokenStore tokens;
    private static LockStore locks;

    @BeforeAll
    static void start() {
        platform = new WireMockServer(wireMockConfig().dynamicPort());
        platform.start();
        dataSource = MigratedH2.open("oauth-cache", 110);
        jdbc = new JdbcTemplate(dataSource);
        tokens = new JdbcTokenStore(jdbc, Clock.systemUTC());
        locks = new JdbcLockStore(jdbc, Clock.systemUTC());
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
        jdbc.update("DELETE FROM ccbridge_locks");
        jdbc.update("DELETE FROM ccbridge_oauth_refresh_backoff");
    }

    @AfterEach
    void noSecretInTheStore() {
        assertThat(jdbc.queryForList("SELECT access_token FROM ccbridge_oauth_tokens", String.class))
                .noneMatch(token -> token.contains(CLIENT_SECRET));
    }

    @Test
    void cacheLifetimeKeepsFiveMinutesOrHalfTheLifetimeInHand() {
        assertThat(OAuthTokenCache.cacheTtl(Duration.ofSeconds(86_400))).isEqualTo(Duration.ofSeconds(86_100));
        assertThat(OAuthTokenCache.cacheTtl(Duration.ofSeconds(3_600))).isEqualTo(Duration.ofSeconds(3_300));
        assertThat(OAuthTokenCache.cacheTtl(Duration.ofSeconds(400))).isEqualTo(Duration.ofSeconds(200));
        assertThat(OAuthTokenCache.cacheTtl(Duration.ofSeconds(300))).isEqualTo(Duration.ofSeconds(150));
    }

    @Test
    void hundredCallersOnTwoInstancesCauseOneTokenRequest() throws Exception {
        platform.stubFor(post(urlEqualTo(TOKEN_PATH)).withBasicAuth(CLIENT_ID, CLIENT_SECRET)
                .withRequestBody(containing("grant_type=client_credentials"))
                .willReturn(okJson("{\"access_token\":\"tok-1\",\"token_type\":\"bearer\",\"expires_in\":86399}")
                        .withFixedDelay(300)));
        OAuthTokenCache first = cache(Duration.ofSeconds(5));
        OAuthTokenCache second = cache(Duration.ofSeconds(5));

        CountDownLatch start = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(100);
        List<Future<String>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) {
                OAuthTokenCache instance = i % 2 == 0 ? first : second;
                answers.add(callers.submit(() -> {
                    start.await();
                    return instance.token("genesys");
                }));
            }
            start.countDown();
            for (Future<String> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo("tok-1");
            }
        } finally {
            callers.shutdownNow();
        }
        platform.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));
        assertThat(first.token("genesys")).as("cached").isEqualTo("tok-1");
        platform.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void tokenPastItsCacheLifetimeIsFetchedAgain() throws InterruptedException {
        stubRotatingTokens(2);
        OAuthTokenCache cache = cache(Duration.ofSeconds(2));

        assertThat(cache.token("genesys")).isEqualTo("tok-1");
        Thread.sleep(1_300);

        assertThat(cache.token("genesys")).isEqualTo("tok-2");
        platform.verify(2, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void refusedTokenIsDroppedAndTheCallRetriedOnceWithANewOne() {
        stubRotatingTokens(86_399);
        OAuthTokenCache cache = cache(Duration.ofSeconds(2));

        // an API that has revoked tok-1 and accepts tok-2
        Integer status = cache.callWithToken("genesys", token -> token.equals("tok-2") ? 200 : 401, s -> s == 401);
        assertThat(status).isEqualTo(200);
        platform.verify(2, postRequestedFor(urlEqualTo(TOKEN_PATH)));

        // an API that refuses every token: one retry, then its answer, no loop
        Integer refused = cache.callWithToken("genesys", token -> 401, s -> s == 401);
        assertThat(refused).isEqualTo(401);
        platform.verify(3, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void refreshHeldElsewhereWithoutATokenInTimeIs503AndAsksNothing() {
        platform.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(okJson("{\"access_token\":\"tok-1\",\"expires_in\":3600}")));
        locks.acquire("#oauth-token:genesys", "another-instance", Duration.ofSeconds(30));
        OAuthTokenCache cache = cache(Duration.ofMillis(500));

        long started = System.nanoTime();
        assertThatThrownBy(() -> cache.token("genesys")).isInstanceOf(TokenUnavailableException.class)
                .hasMessageContaining("refreshing");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        platform.verify(0, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void refusedClientCredentialsSayWhyWithoutTheSecretAndReleaseTheRefresh() {
        platform.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_client\",\"description\":\"client " + CLIENT_ID + " with secret "
                        + CLIENT_SECRET + " is unknown\"}")));
        SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));
        OAuthTokenCache cache = cache(clock, new OAuthClientProperties.RefreshBackoffSettings(Duration.ofSeconds(5),
                Duration.ofMinutes(5)));

        assertThatThrownBy(() -> cache.token("genesys")).isInstanceOf(TokenUnavailableException.class)
                .hasMessageContaining("401 (invalid_client)").hasMessageNotContaining(CLIENT_SECRET);
        clock.set(clock.instant().plusSeconds(6));
        // past the backoff, the refresh lock is free for the next caller
        assertThatThrownBy(() -> cache.token("genesys")).isInstanceOf(TokenUnavailableException.class)
                .hasMessageContaining("401 (invalid_client)");
        platform.verify(2, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void aRefusedRefreshMakesEveryInstanceWaitAndTheNextTokenEndsTheWait() throws Exception {
        platform.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("throttled").whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("calm").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "30")
                        .withHeader("Content-Type", "application/json").withBody("{\"error\":\"too_many_requests\"}")));
        platform.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("throttled").whenScenarioStateIs("calm")
                .willReturn(okJson("{\"access_token\":\"tok-after-wait\",\"expires_in\":3600}")));
        SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));
        OAuthClientProperties.RefreshBackoffSettings backoff = new OAuthClientProperties.RefreshBackoffSettings(
                Duration.ofSeconds(5), Duration.ofMinutes(5));
        OAuthTokenCache first = cache(clock, backoff);
        OAuthTokenCache second = cache(clock, backoff);

        TokenUnavailableException refused = catchThrowableOfType(TokenUnavailableException.class,
                () -> first.token("genesys"));
        assertThat(refused).hasMessageContaining("429");
        assertThat(refused.retryAfter()).as("the endpoint's Retry-After outlasts the first pause").contains(
                Duration.ofSeconds(30));

        ExecutorService callers = Executors.newFixedThreadPool(20);
        try {
            List<Future<Throwable>> answers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                OAuthTokenCache instance = i % 2 == 0 ? first : second;
                answers.add(callers.submit(() -> catchThrowable(() -> instance.token("genesys"))));
            }
            for (Future<Throwable> answer : answers) {
                assertThat(answer.get(10, TimeUnit.SECONDS)).isInstanceOf(TokenUnavailableException.class)
                        .hasMessageContaining("back off after 1 refused");
            }
        } finally {
            callers.shutdownNow();
        }
        platform.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)));

        clock.set(clock.instant().plusSeconds(31));
        assertThat(second.token("genesys")).isEqualTo("tok-after-wait");
        assertThat(tokens(clock).refreshBackoff("genesys")).as("forgotten once a token is issued").isEmpty();
        platform.verify(2, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void refusalsInARowDoubleThePauseUpToItsLongest() {
        platform.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":\"invalid_client\"}")));
        SettableClock clock = new SettableClock(Instant.parse("2026-11-30T10:00:00Z"));
        OAuthTokenCache cache = cache(clock, new OAuthClientProperties.RefreshBackoffSettings(Duration.ofSeconds(10),
                Duration.ofSeconds(40)));

        long[] longest = {10, 20, 40, 40};
        for (int refusal = 1; refusal <= longest.length; refusal++) {
            assertThatThrownBy(() -> cache.token("genesys")).hasMessageContaining("400 (invalid_client)");
            for (int caller = 0; caller < 5; caller++) {
                assertThatThrownBy(() -> cache.token("genesys")).hasMessageContaining("back off");
            }
            RefreshBackoff kept = tokens(clock).refreshBackoff("genesys").orElseThrow();
            long pause = Duration.between(clock.instant(), kept.retryAt()).toMillis();
            assertThat(kept.refusals()).isEqualTo(refusal);
            // equal jitter: half of the pause fixed, half random
            assertThat(pause).as("pause after refusal " + refusal)
                    .isBetween(longest[refusal - 1] * 500, longest[refusal - 1] * 1000);
            clock.set(kept.retryAt());
        }
        platform.verify(longest.length, postRequestedFor(urlEqualTo(TOKEN_PATH)));
    }

    @Test
    void clientCredentialsGoInTheFormWhenConfiguredSo() {
        platform.stubFor(post(urlEqualTo(TOKEN_PATH))
                .withRequestBody(containing("client_id=" + CLIENT_ID))
                .withRequestBody(containing("client_secret=" + CLIENT_SECRET))
                .withRequestBody(containing("scope=analytics"))
                .willReturn(okJson("{\"access_token\":\"tok-form\",\"expires_in\":3600}")));
        OAuthClientProperties.Client client = new OAuthClientProperties.Client(platform.baseUrl() + TOKEN_PATH,
                CLIENT_ID, CLIENT_SECRET, "analytics", "post", Duration.ofSeconds(5), Duration.ofHours(1));
        OAuthTokenCache cache = new OAuthTokenCache(new OAuthClientProperties(Map.of("cxone", client),
                Duration.ofSeconds(2)), tokens, locks, Clock.systemUTC());

        assertThat(cache.token("cxone")).isEqualTo("tok-form");
        platform.verify(1, postRequestedFor(urlEqualTo(TOKEN_PATH)).withoutHeader("Authorization"));
    }

    @Test
    void basicCredentialsAreFormEncodedFirst() {
        // RFC 6749 2.3.1: a secret with reserved characters goes in form-encoded
        platform.stubFor(post(urlEqualTo(TOKEN_PATH)).withBasicAuth(CLIENT_ID, "s3cr%2Bt%3A%25")
                .willReturn(okJson("{\"access_token\":\"tok-encoded\",\"expires_in\":3600}")));
        OAuthClientProperties.Client client = new OAuthClientProperties.Client(platform.baseUrl() + TOKEN_PATH,
                CLIENT_ID, "s3cr+t:%", "", "basic", Duration.ofSeconds(5), Duration.ofHours(1));
        OAuthTokenCache cache = new OAuthTokenCache(new OAuthClientProperties(Map.of("strict", client),
                Duration.ofSeconds(2)), tokens, locks, Clock.systemUTC());

        assertThat(cache.token("strict")).isEqualTo("tok-encoded");
    }

    private void stubRotatingTokens(int expiresIn) {
        for (int i = 1; i <= 3; i++) {
            platform.stubFor(post(urlEqualTo(TOKEN_PATH)).inScenario("rotation")
                    .whenScenarioStateIs(i == 1 ? Scenario.STARTED : "issued-" + (i - 1))
                    .willSetStateTo("issued-" + i)
                    .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                    .willReturn(okJson("{\"access_token\":\"tok-" + i + "\",\"expires_in\":" + expiresIn + "}")));
        }
    }

    private static TokenStore tokens(Clock clock) {
        return new JdbcTokenStore(jdbc, clock);
    }

    /** A cache whose refresh backoff runs on {@code clock}, over stores that share it. */
    private OAuthTokenCache cache(Clock clock, OAuthClientProperties.RefreshBackoffSettings backoff) {
        OAuthClientProperties.Client client = new OAuthClientProperties.Client(platform.baseUrl() + TOKEN_PATH,
                CLIENT_ID, CLIENT_SECRET, "", "basic", Duration.ofSeconds(5), Duration.ofHours(1));
        return new OAuthTokenCache(new OAuthClientProperties(Map.of("genesys", client), Duration.ofSeconds(2), backoff),
                tokens(clock), new JdbcLockStore(jdbc, clock), clock);
    }

    private OAuthTokenCache cache(Duration lockWait) {
        OAuthClientProperties.Client client = new OAuthClientProperties.Client(platform.baseUrl() + TOKEN_PATH,
                CLIENT_ID, CLIENT_SECRET, "", "basic", Duration.ofSeconds(5), Duration.ofHours(1));
        return new OAuthTokenCache(new OAuthClientProperties(Map.of("genesys", client), lockWait), tokens, locks,
                Clock.systemUTC());
    }
}
