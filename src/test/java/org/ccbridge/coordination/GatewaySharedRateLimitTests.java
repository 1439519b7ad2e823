package org.ccbridge.coordination;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.auth.OAuthClientProperties;
import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.store.JdbcIdempotencyStore;
import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.store.JdbcTokenStore;
import org.ccbridge.store.RateLimitBuckets;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.MigratedH2;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

/**
 * Two gateway instances in front of one platform whose limit is per minute: they hold the
 * configured limit together, through Redis, instead of each sending all of it.
 */
@RequiresServices(LocalService.REDIS)
class GatewaySharedRateLimitTests {

    private static final List<LettuceConnectionFactory> REDIS_CLIENTS = new ArrayList<>();
    private static WireMockServer platform;
    private static HikariDataSource dataSource;

    @BeforeAll
    static void start() {
        platform = new WireMockServer(wireMockConfig().dynamicPort());
        platform.start();
        platform.stubFor(post(urlEqualTo("/api/cases")).willReturn(aResponse().withStatus(201).withBody("{}")));
        dataSource = MigratedH2.open("gateway-shared-limit", 4);
    }

    @AfterAll
    static void stop() {
        platform.stop();
        dataSource.close();
        REDIS_CLIENTS.forEach(LettuceConnectionFactory::destroy);
    }

    @Test
    void twoInstancesSendNoMoreThanThePerMinuteLimitTogether() {
        // 12 a minute: a burst of 2, then one every five seconds
        String target = "platform-" + UUID.randomUUID();
        MutationGateway first = instance(target, 12);
        MutationGateway second = instance(target, 12);

        long started = System.nanoTime();
        int forwarded = 0;
        List<HttpStatus> refused = new ArrayList<>();
        for (int request = 0; request < 6; request++) {
            MutationGateway gateway = request % 2 == 0 ? first : second;
            CoordinationProblemException problem = catchThrowableOfType(CoordinationProblemException.class,
                    () -> gateway.handle("flows", target, HttpMethod.POST, "/cases", Map.of(), "{}".getBytes(),
                            "key-" + UUID.randomUUID()));
            if (problem == null) {
                forwarded++;
            } else {
                refused.add(problem.status());
            }
        }

        long refilled = Duration.ofNanos(System.nanoTime() - started).toSeconds() / 5;

        // alone, each instance would have forwarded a burst of its own: 4
        assertThat(forwarded).as("one burst between them").isBetween(2, 2 + (int) refilled);
        assertThat(refused).hasSize(6 - forwarded).containsOnly(HttpStatus.TOO_MANY_REQUESTS);
        platform.verify(forwarded, postRequestedFor(urlEqualTo("/api/cases")));
    }

    /** A gateway as a separately started instance builds it: its own Redis client, the same Redis. */
    private MutationGateway instance(String target, int perMinute) {
        LettuceConnectionFactory redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1",
                LocalService.REDIS.port()));
        redis.afterPropertiesSet();
        redis.start();
        REDIS_CLIENTS.add(redis);
        RateLimits limits = RateLimits.shared(() -> RateLimitBuckets.redis(redis, "ccbridge-test:", Duration.ofSeconds(1)));
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        OAuthTokenCache tokens = new OAuthTokenCache(new OAuthClientProperties(Map.of(), Duration.ofSeconds(2)),
                new JdbcTokenStore(jdbc, Clock.systemUTC()), new JdbcLockStore(jdbc, Clock.systemUTC()), Clock.systemUTC());
        GatewayProperties.Target settings = new GatewayProperties.Target(platform.baseUrl() + "/api", true,
                "Idempotency-Key", "", "", "", Duration.ofSeconds(5), false, List.of("Content-Type"),
                List.of("Content-Type"), 0, perMinute,
                new GatewayProperties.CircuitBreaker(100, 100, 50, Duration.ofSeconds(60), 10));
        return new MutationGateway(new JdbcIdempotencyStore(jdbc, Clock.systemUTC()), tokens,
                new GatewayProperties(Duration.ofHours(24), DataSize.ofMegabytes(1), Map.of(target, settings)), limits);
    }
}
