package org.ccbridge.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.zaxxer.hikari.HikariDataSource;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.ccbridge.coordination.RateLimits;
import org.ccbridge.auth.OAuthClientProperties;
import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.crm.CrmProperties;
import org.ccbridge.crm.CrmTargetFactory;
import org.ccbridge.crm.CrmTargets;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.normalize.PhoneNumbers;
import org.ccbridge.normalize.ValueNormalizer;
import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.store.JdbcTokenStore;
import org.ccbridge.support.FakeSalesforce;
import org.ccbridge.support.MigratedH2;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The sync engine wired as the application wires it, without Spring: an in-memory H2 with the
 * application's migrations, JDBC fenced locks, a Camel context for the targets, a fake Salesforce
 * (the CRM) and a fake contact-center platform API (REST), both WireMock.
 */
final class SyncFixture implements AutoCloseable {

    static final String PLATFORM_PATH = "/api/v2/externalcontacts/contacts/";
    private static final ObjectMapper JSON = new ObjectMapper();

    final FakeSalesforce salesforce = new FakeSalesforce();
    final WireMockServer platform = new WireMockServer(wireMockConfig().dynamicPort());
    final HikariDataSource database;
    final DefaultCamelContext camel = new DefaultCamelContext();
    final ScheduledExecutorService renewals = Executors.newScheduledThreadPool(2);
    final SyncProperties properties;
    final CrmTargets targets;
    final RecordStateRepository states;
    final ReviewQueue reviews;
    final ChangeReader reader;
    final SyncEngine engine;
    final OAuthTokenCache tokens;
    private final JdbcLockStore lockStore;
    private final TargetPayloads payloads;
    private final ValueNormalizer normalizer;

    SyncFixture(Map<String, String> overrides) {
        platform.start();
        resetPlatform();
        database = MigratedH2.open("sync-" + UUID.randomUUID(), 16);
        Map<String, String> settings = defaults();
        settings.putAll(overrides);
        Binder binder = new Binder(new MapConfigurationPropertySource(settings));
        properties = binder.bindOrCreate("ccbridge.sync", SyncProperties.class);
        CrmProperties crm = binder.bindOrCreate("ccbridge.crm", CrmProperties.class);
        JdbcTemplate jdbc = new JdbcTemplate(database);
        lockStore = new JdbcLockStore(jdbc, Clock.systemUTC());
        tokens = new OAuthTokenCache(binder.bindOrCreate("ccbridge.oauth", OAuthClientProperties.class),
                new JdbcTokenStore(jdbc, Clock.systemUTC()), lockStore, Clock.systemUTC());
        loadTargetRoutes();
        camel.start();
        ProducerTemplate producer = camel.createProducerTemplate();
        Map<String, GuardedTarget> guarded = new LinkedHashMap<>();
        crm.targets().forEach((name, target) ->
                guarded.put(name, CrmTargetFactory.create(name, target, camel, producer, tokens,
                        RateLimits.inMemory(), Clock.systemUTC())));
        targets = new CrmTargets(guarded);
        states = new RecordStateRepository(jdbc);
        reviews = new ReviewQueue(jdbc);
        normalizer = new ValueNormalizer(new PhoneNumbers(properties.defaultRegion()));
        payloads = new TargetPayloads(properties, normalizer);
        reader = new ChangeReader(properties, normalizer);
        engine = newInstance();
    }

    SyncFixture() {
        this(Map.of());
    }

    /** The targets' endpoints are in route files, as shipped (and their shared error handling). */
    private void loadTargetRoutes() {
        try {
            SyncPipelineHarness.loadRouteFiles(camel, "sync-errors.camel.yaml", "salesforce-upsert.camel.yaml",
                    "salesforce-upsert-collection.camel.yaml", "rest-upsert.camel.yaml");
        } catch (Exception e) {
            throw new IllegalStateException("the target routes did not load", e);
        }
    }

    /** Another ccbridge instance on the same database and targets: its own lock owner identity. */
    SyncEngine newInstance() {
        ConflictResolver resolver = new ConflictResolver(properties.timestampTolerance(), properties.hierarchy(),
                properties::priority);
        return new SyncEngine(properties, new SyncDecider(resolver, properties.loopBreaker()), states, reviews, payloads,
                this::target,
                new FencedLocks(lockStore, renewals, Clock.systemUTC()), Clock.systemUTC());
    }

    /** The record locks of another ccbridge instance on the same database. */
    FencedLocks otherInstanceLocks() {
        return new FencedLocks(lockStore, renewals, Clock.systemUTC());
    }

    /** The target of a system, as the application picks it. */
    Optional<GuardedTarget> target(SyncSystem system) {
        return targets.find(system == SyncSystem.CRM ? properties.crmTarget() : properties.contactCenterTarget());
    }

    /** The record-sync routes on these beans. */
    SyncPipelineHarness pipeline() {
        try {
            return new SyncPipelineHarness(this);
        } catch (Exception e) {
            throw new IllegalStateException("the record-sync routes did not start", e);
        }
    }

    private Map<String, String> defaults() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("ccbridge.sync.crm-sources[0]", "salesforce");
        map.put("ccbridge.sync.crm-target", "salesforce");
        map.put("ccbridge.sync.contact-center-target", "platform");
        map.put("ccbridge.sync.lock.lease", "5s");
        map.put("ccbridge.sync.retry.attempts", "3");
        map.put("ccbridge.sync.retry.initial-backoff", "50ms");
        map.put("ccbridge.sync.retry.max-backoff", "200ms");
        String contact = "ccbridge.sync.objects[Contact].fields";
        field(map, contact, 0, "email", "Email", "email", "EMAIL");
        field(map, contact, 1, "phone", "Phone", "phone", "PHONE");
        map.put(contact + "[1].crm-format", "NATIONAL");
        field(map, contact, 2, "firstName", "FirstName", "firstName", "TEXT");
        field(map, contact, 3, "lastName", "LastName", "lastName", "TEXT");
        field(map, contact, 4, "disposition", "Last_Disposition__c", "disposition", "TEXT");
        map.put(contact + "[4].direction", "TO_CRM");
        String sf = "ccbridge.crm.targets.salesforce";
        map.put(sf + ".type", "SALESFORCE");
        map.put(sf + ".base-url", salesforce.url());
        map.put(sf + ".timeout", "2s");
        map.put(sf + ".limit-wait", "1s");
        map.put(sf + ".salesforce.login-url", salesforce.url());
        map.put(sf + ".salesforce.client-id", "ccbridge-test");
        map.put(sf + ".salesforce.client-secret", "test-secret");
        String cc = "ccbridge.crm.targets.platform";
        map.put(cc + ".type", "REST");
        map.put(cc + ".base-url", platform.baseUrl() + "/api/v2");
        map.put(cc + ".upsert-path", "/externalcontacts/contacts/{recordKey}");
        map.put(cc + ".auth-header", "Authorization");
        map.put(cc + ".auth-value", "Bearer platform-test-token");
        map.put(cc + ".timeout", "2s");
        // the same platform API with an OAuth client-credentials token instead of a static header
        String oauth = "ccbridge.crm.targets.platform-oauth";
        map.put(oauth + ".type", "REST");
        map.put(oauth + ".base-url", platform.baseUrl() + "/api/v2");
        map.put(oauth + ".upsert-path", "/externalcontacts/contacts/{recordKey}");
        map.put(oauth + ".oauth-client", "platform");
        map.put("ccbridge.oauth.clients.platform.token-url", platform.baseUrl() + "/oauth/token");
        map.put("ccbridge.oauth.clients.platform.client-id", "ccbridge");
        map.put("ccbridge.oauth.clients.platform.client-secret", "platform-secret");
        return map;
    }

    private static void field(Map<String, String> map, String prefix, int index, String name, String crm, String cc,
                              String type) {
        map.put(prefix + "[" + index + "].name", name);
        map.put(prefix + "[" + index + "].crm-field", crm);
        map.put(prefix + "[" + index + "].cc-field", cc);
        map.put(prefix + "[" + index + "].type", type);
    }

    void resetPlatform() {
        platform.resetAll();
        platform.stubFor(post(urlEqualTo("/oauth/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"token-{{randomValue type='UUID'}}\",\"token_type\":\"bearer\","
                        + "\"expires_in\":86400}").withTransformers("response-template")));
        platform.stubFor(patch(urlPathMatching(PLATFORM_PATH + ".+")).atPriority(10)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{}")));
    }

    /** Writes the platform fake received for one record, oldest first. */
    List<JsonNode> platformWrites(String recordKey) {
        return platform.findAll(patchRequestedFor(urlEqualTo(PLATFORM_PATH + recordKey))).stream()
                .map(request -> read(request.getBodyAsString())).toList();
    }

    /** Reads an event body the way the sync route does, with the record key put where its system sends it. */
    Optional<RecordChange> read(String source, String recordKey, String body) {
        return reader.read(source, UUID.randomUUID().toString(), Instant.now(), event(source, recordKey, body));
    }

    /** An event body with the record key put where its system sends it. */
    byte[] event(String source, String recordKey, String body) {
        JsonNode root = read(body);
        ((ObjectNode) root.get("data")).put(
                reader.systemOf(source) == SyncSystem.CRM ? "External_Id__c" : "contactId", recordKey);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    SyncOutcome sync(String source, String recordKey, String body) throws Exception {
        return engine.process(read(source, recordKey, body).orElseThrow());
    }

    RecordState state(String recordKey) {
        return states.find("Contact", recordKey).orElseThrow();
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        camel.stop();
        renewals.shutdownNow();
        database.close();
        salesforce.close();
        platform.stop();
    }
}
