package org.ccbridge.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.coordination.RateLimits;
import org.ccbridge.auth.OAuthClientProperties;
import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.normalize.PhoneNumbers;
import org.ccbridge.normalize.ValueNormalizer;
import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.store.JdbcTokenStore;
import org.ccbridge.support.FakeNotificationProvider;
import org.ccbridge.support.MigratedH2;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Each provider shape against a WireMock provider that deduplicates by the key where that API
 * carries it: the request it expects, the key in its place, the same bytes on a retry, and the
 * outcome the ledger records for each kind of failure.
 */
class ProviderShapeTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final NotificationMessage sms = new NotificationMessage(UUID.randomUUID().toString(), "sms", "+12025550143",
            null, "Your appointment is at 10:00", "cust-1", "appointment-reminder", "case-9");
    private final NotificationMessage email = new NotificationMessage(UUID.randomUUID().toString(), "email",
            "ada@example.com", null, "Your order has shipped", "cust-1", "order-shipped", "order-7");
    private FakeNotificationProvider provider;
    private WireMockServer tokenEndpoint;
    private HikariDataSource database;

    @AfterEach
    void stop() {
        if (provider != null) {
            provider.close();
        }
        if (tokenEndpoint != null) {
            tokenEndpoint.stop();
        }
        if (database != null) {
            database.close();
        }
    }

    @Test
    void twilioLikeIsAFormWithTheKeyInItsIdempotencyTokenHeader() throws Exception {
        provider = FakeNotificationProvider.keyedByHeader("I-Twilio-Idempotency-Token");
        HttpNotificationProvider twilio = provider("twilio", Map.of("type", "twilio", "from", "+15005550006"));

        send(twilio, sms);
        send(twilio, sms); // a retry

        List<LoggedRequest> requests = provider.requestsFor(List.of(sms.id()));
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(requests.get(0).getBodyAsString())
                .isEqualTo("To=%2B12025550143&From=%2B15005550006&Body=Your+appointment+is+at+10%3A00");
        assertThat(requests.get(1).getBodyAsString()).isEqualTo(requests.get(0).getBodyAsString());
        assertThat(provider.deliveries(sms.id())).isEqualTo(1);
    }

    @Test
    void sendGridLikeCarriesTheKeyInMailSettings() throws Exception {
        provider = FakeNotificationProvider.keyedByBodyField("/mail_settings/idempotency_key");
        HttpNotificationProvider sendGrid = provider("sendgrid", Map.of("type", "sendgrid",
                "from", "noreply@example.com", "subject", "Your order"));

        send(sendGrid, email);
        send(sendGrid, email);

        LoggedRequest request = provider.requestsFor(List.of(email.id())).get(0);
        JsonNode body = JSON.readTree(request.getBodyAsString());
        assertThat(body.at("/personalizations/0/to/0/email").asText()).isEqualTo("ada@example.com");
        assertThat(body.at("/personalizations/0/subject").asText()).isEqualTo("Your order");
        assertThat(body.at("/from/email").asText()).isEqualTo("noreply@example.com");
        assertThat(body.at("/content/0/value").asText()).isEqualTo("Your order has shipped");
        assertThat(body.at("/custom_args/customer_id").asText()).isEqualTo("cust-1");
        assertThat(request.getHeader("Idempotency-Key")).isNull();
        assertThat(provider.deliveries(email.id())).isEqualTo(1);
    }

    @Test
    void aShapeBuildsTheSameBytesInEveryProcess() {
        // fixed bytes, not only equal within this JVM: Map.of would iterate differently elsewhere
        NotificationMessage message = new NotificationMessage("2b1c", "email", "ada@example.com", null, "Shipped",
                "cust-1", "order-shipped", null);
        NotifyProperties.Provider settings = bind(Map.of("url", "http://127.0.0.1/mail", "from", "noreply@example.com",
                "subject", "Your order"));
        assertThat(new String(ProviderShape.SENDGRID.request(message, settings).body(), StandardCharsets.UTF_8))
                .isEqualTo("{\"personalizations\":[{\"to\":[{\"email\":\"ada@example.com\"}],\"subject\":\"Your order\"}],"
                        + "\"from\":{\"email\":\"noreply@example.com\"},"
                        + "\"content\":[{\"type\":\"text/plain\",\"value\":\"Shipped\"}],"
                        + "\"custom_args\":{\"notification_id\":\"2b1c\",\"customer_id\":\"cust-1\","
                        + "\"message_type\":\"order-shipped\"},\"mail_settings\":{\"idempotency_key\":\"2b1c\"}}");
    }

    @Test
    void dedupWindowsMatchMessageTypesAsPropertyBindingWritesThem() {
        NotifyProperties.Dedup dedup = new Binder(new MapConfigurationPropertySource(Map.of(
                "ccbridge.notify.dedup.windows.daily_digest.length", "24h", // bound as "dailydigest"
                "ccbridge.notify.dedup.windows.[Campaign-Offer].mode", "reference")))
                .bindOrCreate("ccbridge.notify", NotifyProperties.class).dedup();

        assertThat(dedup.windowFor("daily_digest").length()).hasHours(24);
        assertThat(dedup.windowFor("campaign-offer").mode()).isEqualTo(NotifyProperties.DedupMode.REFERENCE);
        assertThat(dedup.windowFor("appointment-reminder").length()).hasMinutes(5);
    }

    @Test
    void genesysAgentlessMessagingGetsABearerTokenAndTheKeyInTheBody() throws Exception {
        provider = FakeNotificationProvider.keyedByBodyField("/idempotencyKey");
        HttpNotificationProvider genesys = provider("genesys", Map.of("type", "genesys", "from", "sms-address-1",
                "oauth-client", "genesys"));

        send(genesys, sms);

        LoggedRequest request = provider.requestsFor(List.of(sms.id())).get(0);
        JsonNode body = JSON.readTree(request.getBodyAsString());
        assertThat(body.get("toAddress").asText()).isEqualTo("+12025550143");
        assertThat(body.get("fromAddress").asText()).isEqualTo("sms-address-1");
        assertThat(body.get("toAddressMessengerType").asText()).isEqualTo("sms");
        assertThat(body.get("textBody").asText()).isEqualTo("Your appointment is at 10:00");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer token-1");
        assertThat(tokenEndpoint.findAll(postRequestedFor(urlEqualTo("/oauth/token")))).hasSize(1);
        assertThat(provider.deliveries(sms.id())).isEqualTo(1);
    }

    @Test
    void withoutATokenTheProviderIsNotCalledTheRowKeepsItsAttemptsAndTheLedgerSaysSo() throws Exception {
        provider = FakeNotificationProvider.keyedByBodyField("/idempotencyKey");
        HttpNotificationProvider genesys = provider("genesys", Map.of("type", "genesys", "from", "sms-address-1",
                "oauth-client", "genesys"));
        tokenEndpoint.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(503)));
        JdbcTemplate jdbc = new JdbcTemplate(database);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
        NotificationOutbox outbox = new NotificationOutbox(jdbc, transactions,
                new ValueNormalizer(new PhoneNumbers("US")), Clock.systemUTC());
        String id = outbox.enqueue("test", "k-1", outbox.validate(new NotificationRequest("sms", "+12025550143", null,
                "hello", "cust-1", "greeting", null))).id();
        NotifyProperties settings = new Binder(new MapConfigurationPropertySource(Map.of(
                "ccbridge.notify.relay.concurrency", "1"))).bindOrCreate("ccbridge.notify", NotifyProperties.class);
        NotificationLedger ledger = new NotificationLedger(jdbc);
        Map<String, ChannelRoute> channels = Map.of("sms", new ChannelRoute(List.of(genesys), true));
        try (SendRoutes routes = new SendRoutes(channels);
             OutboxRelay relay = new OutboxRelay(jdbc, transactions, settings.relay(), channels, ledger,
                     new DedupWindows(jdbc, transactions, ledger, settings.dedup()), Clock.systemUTC(), routes.sender())) {
            relay.relayOnce();
        }

        assertThat(provider.requestsFor(List.of(id))).isEmpty();
        // recorded as never sent, so it counts against no dedup window and no resend order
        assertThat(ledger.entries(id)).extracting(NotificationLedger.Entry::outcome)
                .containsExactly(DeliveryOutcome.NOT_CALLED);
        assertThat(jdbc.queryForObject("SELECT attempts FROM ccbridge_outbox WHERE notification_id = ?", Integer.class, id))
                .isZero();
    }

    @Test
    void cxoneEventsCarryTheNotificationAsDataWithTheKeyInTheBody() throws Exception {
        provider = FakeNotificationProvider.keyedByBodyField("/idempotencyKey");
        HttpNotificationProvider cxone = provider("cxone", Map.of("type", "cxone", "auth-header", "Authorization",
                "auth-value", "Bearer static"));

        send(cxone, sms);

        LoggedRequest request = provider.requestsFor(List.of(sms.id())).get(0);
        JsonNode body = JSON.readTree(request.getBodyAsString());
        assertThat(body.get("eventType").asText()).isEqualTo("ccbridge.notification.sms");
        assertThat(body.at("/data/customerId").asText()).isEqualTo("cust-1");
        assertThat(body.at("/data/to").asText()).isEqualTo("+12025550143");
        assertThat(body.at("/data/reference").asText()).isEqualTo("case-9");
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer static");
    }

    @Test
    void eachFailureIsReportedWithWhatMayHaveComeOfIt() throws Exception {
        provider = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
        HttpNotificationProvider json = provider("json", Map.of("timeout", "500ms"));

        provider.fail(400);
        assertOutcome(json, DeliveryOutcome.REFUSED);
        provider.fail(401); // our credentials, which an operator can fix: worth retrying
        assertOutcome(json, DeliveryOutcome.FAILED);
        provider.fail(504); // a gateway that may have passed it on
        assertOutcome(json, DeliveryOutcome.UNCERTAIN);
        provider.fail(429);
        assertOutcome(json, DeliveryOutcome.FAILED);
        provider.fail(503);
        assertOutcome(json, DeliveryOutcome.FAILED);
        provider.acceptButAnswerAfter(1_500);
        assertOutcome(json, DeliveryOutcome.UNCERTAIN);

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HttpNotificationProvider unreachable = new HttpNotificationProvider("unreachable", bind(Map.of(
                "url", "http://127.0.0.1:" + closedPort + "/messages")), null, RateLimits.inMemory());
        assertOutcome(unreachable, DeliveryOutcome.FAILED);
        // a name that does not resolve (the .invalid domain never does): the request never left
        HttpNotificationProvider unresolved = new HttpNotificationProvider("unresolved", bind(Map.of(
                "url", "http://provider.ccbridge.invalid/messages")), null, RateLimits.inMemory());
        assertOutcome(unresolved, DeliveryOutcome.FAILED);
    }

    @Test
    void theRateLimitSpacesCallsAndAProviderWithoutAPermitIsNotCalled() throws Exception {
        provider = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
        HttpNotificationProvider limited = provider("limited", Map.of("rate-limit-per-second", "1"));
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            NotificationMessage message = new NotificationMessage(UUID.randomUUID().toString(), "sms", "+12025550143",
                    null, "hello", "cust-" + i, "greeting", null);
            keys.add(message.id());
            send(limited, message);
        }
        List<LoggedRequest> calls = provider.requestsFor(keys);
        assertThat(calls).hasSize(3);
        // one permit a second: the third call is at least a period after the first
        assertThat(calls.get(2).getLoggedDate().getTime() - calls.get(0).getLoggedDate().getTime()).isGreaterThanOrEqualTo(900);

        // four more callers at once: the limit hands out one permit a second and a caller waits
        // at most 2 s, so one of them gets none and its provider is never called
        List<DeliveryOutcome> results = sendAtOnce(limited, 4);
        assertThat(results).contains(DeliveryOutcome.NOT_CALLED);
    }

    @Test
    void aProviderGetsNoMoreCallsAtOnceThanItsConcurrencyLimit() throws Exception {
        provider = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
        provider.acceptButAnswerAfter(400);
        HttpNotificationProvider two = provider("two", Map.of("initial-concurrency", "2", "max-concurrency", "2"));

        long start = System.nanoTime();
        List<DeliveryOutcome> results = sendAtOnce(two, 4);

        assertThat(results).containsOnly(DeliveryOutcome.ACCEPTED);
        // two at a time: the second pair starts when the first has its answers
        assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(800);
    }

    @Test
    void theConcurrencyLimitShrinksWhenTheProviderSheds429sAndGrowsWhileItAnswersAtIdleSpeed() throws Exception {
        provider = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
        // a 429 is load shedding, not a failure of the provider: it leaves the circuit closed
        HttpNotificationProvider adaptive = provider("adaptive", Map.of("initial-concurrency", "16",
                "max-concurrency", "64"));

        provider.fail(429);
        for (int round = 0; round < 5; round++) {
            assertThat(sendAtOnce(adaptive, 16)).containsOnly(DeliveryOutcome.FAILED);
        }
        int afterShedding = adaptive.concurrencyLimit();
        assertThat(afterShedding).isLessThan(16);

        provider.accept();
        for (int round = 0; round < 20; round++) {
            assertThat(sendAtOnce(adaptive, adaptive.concurrencyLimit())).containsOnly(DeliveryOutcome.ACCEPTED);
        }
        assertThat(adaptive.concurrencyLimit()).isGreaterThan(afterShedding);
    }

    /** {@code count} messages sent to {@code to} at once, each from a thread of its own; what came of each. */
    private static List<DeliveryOutcome> sendAtOnce(HttpNotificationProvider to, int count) throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(count);
        try {
            List<Future<DeliveryOutcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                NotificationMessage message = new NotificationMessage(UUID.randomUUID().toString(), "sms",
                        "+12025550143", null, "hello", "cust-" + i, "greeting", null);
                outcomes.add(callers.submit(() -> {
                    try {
                        send(to, message);
                        return DeliveryOutcome.ACCEPTED;
                    } catch (ProviderException e) {
                        return e.outcome();
                    }
                }));
            }
            List<DeliveryOutcome> results = new ArrayList<>();
            for (Future<DeliveryOutcome> outcome : outcomes) {
                results.add(outcome.get());
            }
            return results;
        } finally {
            callers.shutdown();
        }
    }

    /** What the route notify-provider does around a call but the breaker and the ledger: the rate limit, then the call. */
    private static void send(HttpNotificationProvider to, NotificationMessage message) throws InterruptedException {
        to.takePermit();
        to.call(message);
    }

    private void assertOutcome(HttpNotificationProvider provider, DeliveryOutcome expected) {
        assertThatThrownBy(() -> send(provider, sms)).isInstanceOfSatisfying(ProviderException.class,
                e -> assertThat(e.outcome()).isEqualTo(expected));
    }

    private HttpNotificationProvider provider(String name, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("url", provider.url());
        OAuthTokenCache tokens = settings.containsKey("oauth-client") ? tokens() : null;
        return new HttpNotificationProvider(name, bind(all), tokens, RateLimits.inMemory());
    }

    private static NotifyProperties.Provider bind(Map<String, String> settings) {
        Map<String, String> prefixed = new HashMap<>();
        settings.forEach((key, value) -> prefixed.put("ccbridge.notify.providers.p." + key, value));
        return new Binder(new MapConfigurationPropertySource(prefixed)).bindOrCreate("ccbridge.notify",
                NotifyProperties.class).providers().get("p");
    }

    /** A token cache whose client {@code genesys} gets {@code token-1} from a WireMock token endpoint. */
    private OAuthTokenCache tokens() {
        tokenEndpoint = new WireMockServer(wireMockConfig().dynamicPort());
        tokenEndpoint.start();
        tokenEndpoint.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"token-1\",\"token_type\":\"bearer\",\"expires_in\":86400}")));
        database = MigratedH2.open("tokens-" + UUID.randomUUID(), 4);
        JdbcTemplate jdbc = new JdbcTemplate(database);
        OAuthClientProperties clients = new Binder(new MapConfigurationPropertySource(Map.of(
                "ccbridge.oauth.clients.genesys.token-url", tokenEndpoint.baseUrl() + "/oauth/token",
                "ccbridge.oauth.clients.genesys.client-id", "ccbridge",
                "ccbridge.oauth.clients.genesys.client-secret", "genesys-secret")))
                .bindOrCreate("ccbridge.oauth", OAuthClientProperties.class);
        return new OAuthTokenCache(clients, new JdbcTokenStore(jdbc, Clock.systemUTC()),
                new JdbcLockStore(jdbc, Clock.systemUTC()), Clock.systemUTC());
    }
}
