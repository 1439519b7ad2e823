package org.ccbridge.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.broker.EventPublishProcessor;
import org.ccbridge.support.FakeSalesforce;
import org.ccbridge.support.FreePorts;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.ServiceProcess;
import org.ccbridge.support.WebhookClient;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Scale-out: two ccbridge processes on the same RabbitMQ, Redis and PostgreSQL drain one sync
 * backlog together, and kill -9 of one of them mid-drain loses nothing: the other takes its
 * unacknowledged events, and every record ends written once in effect (the same version, at most
 * repeated for the events the killed one had in hand).
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
class ScaleOutDrainTests {

    private static final Logger LOG = LoggerFactory.getLogger(ScaleOutDrainTests.class);

    private static final int RECORDS = 3_000;
    private static final int CONSUMERS = 2;
    private static final int PREFETCH = 50;
    private static final String SOURCE_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "ccbridge-scale-out-test-secret".getBytes(StandardCharsets.UTF_8));
    private static final Pattern SYNCED = Pattern.compile("(?m)^ccbridge_sync_changes_total\\{[^}]*\\} ([0-9.E]+)$");

    @TempDir
    Path logs;

    @Test
    void twoInstancesDrainOneBacklogAndAKilledOneLosesNothing() throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        try (FakeSalesforce salesforce = new FakeSalesforce();
             ServiceProcess first = new ServiceProcess(FreePorts.next(), logs.resolve("first.log"), settings(salesforce));
             ServiceProcess second = new ServiceProcess(FreePorts.next(), logs.resolve("second.log"), settings(salesforce))) {
            CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", LocalService.RABBITMQ.port());
            HikariDataSource database = new HikariDataSource();
            database.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + LocalService.POSTGRESQL.port() + "/test");
            database.setUsername("postgres");
            try {
                RabbitAdmin admin = declareLane(connections);
                admin.purgeQueue(BrokerTopology.DIGITAL_QUEUE, false);
                long deadLettersBefore = depth(admin, BrokerTopology.DEAD_LETTER_QUEUE);
                long started = System.nanoTime();
                CompletableFuture<WebhookClient> starting = CompletableFuture.supplyAsync(() -> start(first));
                WebhookClient secondClient = start(second);
                WebhookClient firstClient = starting.join();
                long ready = System.nanoTime();

                // the backlog arrives far faster than two instances sync it
                publishBacklog(new RabbitTemplate(connections), run);

                // mid-drain: a quarter synced (each instance's own count, cheap to read)
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(50))
                        .until(() -> synced(firstClient) + synced(secondClient) >= RECORDS / 4.0);
                double syncedByFirst = synced(firstClient);
                first.kill();
                long killed = System.nanoTime();

                // done when the store holds every record agreed at version 1 (the counters cannot say: the killed
                // instance may have synced a batch after its count was read) and the lane is empty
                try {
                    await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250))
                            .until(() -> resolvedInTheStore(database, run) == RECORDS
                                    && admin.getQueueInfo(BrokerTopology.DIGITAL_QUEUE).getMessageCount() == 0);
                } catch (ConditionTimeoutException e) {
                    throw new AssertionError("not drained: " + resolvedInTheStore(database, run) + " of " + RECORDS
                            + " resolved, " + depth(admin, BrokerTopology.DIGITAL_QUEUE) + " in the lane, "
                            + (long) syncedByFirst + " synced by the first before its kill, "
                            + (long) synced(secondClient) + " by the second; second's log:\n"
                            + tail(logs.resolve("second.log")), e);
                }
                double syncedBySecond = synced(secondClient);
                long drained = System.nanoTime();
                assertThat(writesByRecord(salesforce).keySet()).as("every record written").containsAll(keys(run));

                Map<String, List<JsonNode>> writes = writesByRecord(salesforce);
                assertThat(syncedByFirst).as("the killed instance took part; log in " + logs).isPositive();
                assertThat(syncedBySecond).as("the survivor took part").isPositive();
                // written once in effect: a repeat carries the same version, and only the events the
                // killed instance held unacknowledged can be repeated
                List<String> repeated = keys(run).stream().filter(key -> writes.get(key).size() > 1).toList();
                LOG.info("Scale-out drain of {} records: instances ready after {} ms; {} written by the first before "
                        + "its kill {} ms later, {} by the second in all; drained {} ms after the kill; {} written twice",
                        RECORDS, (ready - started) / 1_000_000, (long) syncedByFirst, (killed - ready) / 1_000_000,
                        (long) syncedBySecond, (drained - killed) / 1_000_000, repeated.size());
                assertThat(repeated.size()).as("records written twice").isLessThanOrEqualTo(CONSUMERS * PREFETCH);
                for (String key : keys(run)) {
                    assertThat(writes.get(key)).as(key).allSatisfy(record ->
                            assertThat(record.get("Sync_Version__c").asLong()).isEqualTo(1));
                }
                assertThat(depth(admin, BrokerTopology.DEAD_LETTER_QUEUE)).as("dead letters").isEqualTo(deadLettersBefore);
            } finally {
                connections.destroy();
                database.close();
            }
        }
    }

    private static String[] settings(FakeSalesforce salesforce) {
        return ServiceProcess.onLocalServices(
            "--ccbridge.sources.demo.secret=" + SOURCE_SECRET,
            "--ccbridge.sync.enabled=true",
            "--ccbridge.sync.crm-target=salesforce",
            "--ccbridge.sync.consumers=" + CONSUMERS,
            "--ccbridge.sync.prefetch=" + PREFETCH,
            "--ccbridge.sync.batch.size=25",
            // the killed instance's record locks run out with their lease: a short one keeps the test short
            "--ccbridge.sync.lock.lease=5s",
            "--ccbridge.crm.targets.salesforce.type=SALESFORCE",
            "--ccbridge.crm.targets.salesforce.base-url=" + salesforce.url(),
            "--ccbridge.crm.targets.salesforce.timeout=5s",
            "--ccbridge.crm.targets.salesforce.salesforce.login-url=" + salesforce.url(),
            "--ccbridge.crm.targets.salesforce.salesforce.client-id=ccbridge-scale-out",
            "--ccbridge.crm.targets.salesforce.salesforce.client-secret=scale-out-secret",
            "--logging.level.root=WARN");
    }

    private static WebhookClient start(ServiceProcess service) {
        try {
            return service.start(Duration.ofSeconds(120));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The digital lane as the prod profile declares it, so that the backlog has a queue before either instance runs. */
    private static RabbitAdmin declareLane(CachingConnectionFactory connections) {
        RabbitAdmin admin = new RabbitAdmin(connections);
        TopicExchange events = new TopicExchange(BrokerTopology.EVENTS_EXCHANGE, true, false);
        Queue digital = QueueBuilder.durable(BrokerTopology.DIGITAL_QUEUE).quorum().build();
        admin.declareExchange(events);
        admin.declareQueue(digital);
        admin.declareBinding(BindingBuilder.bind(digital).to(events).with("*.digital.#"));
        return admin;
    }

    /** Events as the ingress publishes them: persistent, with its headers. */
    private static void publishBacklog(RabbitTemplate rabbit, String run) {
        for (String key : keys(run)) {
            String body = "{\"type\":\"contact.updated\",\"timestamp\":\"2026-11-29T10:00:00Z\",\"data\":{"
                    + "\"channel\":\"digital\",\"contactId\":\"" + key + "\",\"version\":1,\"email\":\"" + key
                    + "@example.com\"}}";
            String eventId = "evt-" + key;
            rabbit.send(BrokerTopology.EVENTS_EXCHANGE, "demo.digital.contact.updated", MessageBuilder
                    .withBody(body.getBytes(StandardCharsets.UTF_8))
                    .setContentType("application/json")
                    .setDeliveryMode(MessageDeliveryMode.PERSISTENT)
                    .setMessageId("demo:" + eventId)
                    .setHeader(EventPublishProcessor.EVENT_ID_HEADER, eventId)
                    .setHeader(EventPublishProcessor.SOURCE_HEADER, "demo")
                    .setHeader(EventPublishProcessor.TYPE_HEADER, "contact.updated")
                    .setHeader(EventPublishProcessor.CHANNEL_HEADER, "digital")
                    .setHeader(EventPublishProcessor.RECORD_KEY_HEADER, key)
                    .setHeader(EventPublishProcessor.RECEIVED_AT_HEADER, Instant.now().toString())
                    .setHeader(EventPublishProcessor.OCCURRED_AT_HEADER, "2026-11-29T10:00:00Z")
                    .build());
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static long depth(RabbitAdmin admin, String queue) {
        var info = admin.getQueueInfo(queue);
        return info == null ? 0 : info.getMessageCount();
    }

    private static List<String> keys(String run) {
        return IntStream.range(0, RECORDS).mapToObj(i -> "SCALE-" + run + "-" + i).toList();
    }

    /** Every write Salesforce received, single or in a collection, by external id. */
    private static Map<String, List<JsonNode>> writesByRecord(FakeSalesforce salesforce) {
        Map<String, List<JsonNode>> writes = new HashMap<>(salesforce.collectionRecords().stream()
                .collect(Collectors.groupingBy(record -> record.get("External_Id__c").asText())));
        salesforce.server().getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith(FakeSalesforce.UPSERT_PATH))
                .forEach(event -> {
                    String key = event.getRequest().getUrl().substring(FakeSalesforce.UPSERT_PATH.length());
                    writes.computeIfAbsent(key, k -> new ArrayList<>()).addAll(salesforce.upserts(key));
                });
        return writes;
    }

    private static double synced(WebhookClient instance) {
        Matcher counts = SYNCED.matcher(instance.get("/actuator/prometheus").body());
        double total = 0;
        while (counts.find()) {
            total += Double.parseDouble(counts.group(1));
        }
        return total;
    }

    /**
     * Records whose change is agreed in the store at version 1. RESOLVED when the survivor applied
     * it; SKIPPED_NOOP when the killed instance had committed it but not acked the event, and the
     * survivor, handed the event again, found nothing left to do.
     */
    private static int resolvedInTheStore(HikariDataSource database, String run) {
        Integer resolved = new JdbcTemplate(database).queryForObject("SELECT count(*) FROM ccbridge_sync_records "
                + "WHERE record_key LIKE ? AND version = 1 AND status IN ('RESOLVED', 'SKIPPED_NOOP')", Integer.class,
                "SCALE-" + run + "-%");
        return resolved == null ? 0 : resolved;
    }
}
