package org.ccbridge.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.support.FakeCxone;
import org.ccbridge.support.FreePorts;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.ccbridge.support.ServiceProcess;
import org.ccbridge.support.WebhookClient;

/**
 * Two ccbridge processes on the same RabbitMQ, Redis and PostgreSQL with one {@code cxone-poll}
 * source: one polls, the other stands by; kill -9 of the one polling mid-stream, and the other
 * takes the source over once the lease has run out, from the stored cursor, and every state of
 * the fake CXone ends on the voice lane exactly once.
 */
@RequiresServices({LocalService.RABBITMQ, LocalService.REDIS, LocalService.POSTGRESQL})
class PulledSourceTakeoverTests {

    private static final String SOURCE = "cxone-takeover";
    private static final int PAGES = 12;
    private static final int STATES_PER_PAGE = 3;
    private static final Pattern CONNECTED = Pattern.compile(
            "(?m)^ccbridge_pull_connected\\{[^}]*source=\"" + SOURCE + "\"[^}]*\\} ([0-9.E]+)$");

    private static final Logger LOG = LoggerFactory.getLogger(PulledSourceTakeoverTests.class);

    @TempDir
    Path logs;

    @Test
    void theStandbyTakesOverFromTheCursorAndEveryStateIsAcceptedOnce() throws Exception {
        Instant base = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(1, ChronoUnit.DAYS);
        HikariDataSource database = new HikariDataSource();
        database.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + LocalService.POSTGRESQL.port() + "/test");
        database.setUsername("postgres");
        CachingConnectionFactory connections = new CachingConnectionFactory("127.0.0.1", LocalService.RABBITMQ.port());
        FakeCxone.reset();
        try (ServiceProcess first = new ServiceProcess(FreePorts.next(), logs.resolve("first.log"), settings());
             ServiceProcess second = new ServiceProcess(FreePorts.next(), logs.resolve("second.log"), settings())) {
            JdbcTemplate jdbc = new JdbcTemplate(database);
            CompletableFuture<WebhookClient> starting = CompletableFuture.supplyAsync(() -> start(first));
            WebhookClient secondClient = start(second);
            WebhookClient firstClient = starting.join();
            // a cursor left by an earlier run of the source, before the pages this test offers
            jdbc.update("DELETE FROM ccbridge_pull_cursors WHERE source = ?", SOURCE);
            jdbc.update("INSERT INTO ccbridge_pull_cursors (source, cursor_value, fencing_token, updated_at) "
                    + "VALUES (?, ?, 0, CURRENT_TIMESTAMP)", SOURCE, at(base, 0));
            new RabbitAdmin(connections).purgeQueue(BrokerTopology.VOICE_QUEUE, false);

            List<String> expected = offerPages(base);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cursorPage(jdbc, base) >= 3);
            boolean firstLeads = connected(firstClient);
            assertThat(firstLeads).as("exactly one instance polls").isNotEqualTo(connected(secondClient));
            (firstLeads ? first : second).kill();
            long killed = System.nanoTime();
            int pageAtKill = cursorPage(jdbc, base);
            WebhookClient survivor = firstLeads ? secondClient : firstClient;

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> cursorPage(jdbc, base) > pageAtKill);
            long movedAgain = System.nanoTime();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> cursorPage(jdbc, base) == PAGES);
            LOG.info("Takeover of {}: killed at page {} of {}; the survivor moved the cursor {} ms after the kill "
                    + "(lease 4 s, renewals every 1 s, polls every 700 ms)", SOURCE, pageAtKill, PAGES,
                    (movedAgain - killed) / 1_000_000);

            assertThat(pageAtKill).as("killed mid-stream").isLessThan(PAGES);
            assertThat(connected(survivor)).as("the survivor polls now").isTrue();
            List<String> published = drain(new RabbitTemplate(connections));
            assertThat(published).as("every state once, in order; logs in " + logs).containsExactlyElementsOf(expected);
        } finally {
            FakeCxone.reset();
            connections.destroy();
            database.close();
        }
    }

    /** Pages 1..PAGES, each after the previous one's lastPollTime; returns the message ids they make. */
    private static List<String> offerPages(Instant base) {
        List<String> ids = new ArrayList<>();
        for (int page = 0; page < PAGES; page++) {
            String[] states = new String[STATES_PER_PAGE];
            for (int i = 0; i < STATES_PER_PAGE; i++) {
                String contact = "T-" + page + "-" + i;
                String time = base.plusSeconds(page * 10L + i + 1).toString();
                states[i] = FakeCxone.state(contact, "Active", time);
                ids.add(SOURCE + ":" + contact + ":" + time);
            }
            FakeCxone.page(at(base, page), at(base, page + 1), states);
        }
        return ids;
    }

    /** The page the stored cursor has reached: 0 before the first page, PAGES after the last. */
    private static int cursorPage(JdbcTemplate jdbc, Instant base) {
        List<String> cursor = jdbc.queryForList("SELECT cursor_value FROM ccbridge_pull_cursors WHERE source = ?",
                String.class, SOURCE);
        return cursor.isEmpty() ? -1 : (int) (Duration.between(base, Instant.parse(cursor.get(0))).toSeconds() / 10);
    }

    private static String at(Instant base, int page) {
        return base.plusSeconds(page * 10L).toString();
    }

    private static boolean connected(WebhookClient instance) {
        Matcher value = CONNECTED.matcher(instance.get("/actuator/prometheus").body());
        return value.find() && Double.parseDouble(value.group(1)) == 1.0;
    }

    private static List<String> drain(RabbitTemplate rabbit) {
        List<String> ids = new ArrayList<>();
        Message message;
        while ((message = rabbit.receive(BrokerTopology.VOICE_QUEUE, 500)) != null) {
            ids.add(message.getMessageProperties().getMessageId());
        }
        return ids;
    }

    private static WebhookClient start(ServiceProcess service) {
        try {
            return service.start(Duration.ofSeconds(120));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] settings() {
        return ServiceProcess.onLocalServices(
            "--ccbridge.sources.demo.secret=whsec_Y2NicmlkZ2UtdGFrZW92ZXItdGVzdC1zZWNyZXQ=",
            // a short lease keeps the takeover short: the killed instance's lease runs out in 4 s
            "--ccbridge.cluster.lease=4s",
            "--ccbridge.cluster.renew-interval=1s",
            "--ccbridge.oauth.clients.cxone.token-url=" + FakeCxone.SERVER.baseUrl() + FakeCxone.TOKEN_PATH,
            "--ccbridge.oauth.clients.cxone.client-id=" + FakeCxone.CLIENT_ID,
            "--ccbridge.oauth.clients.cxone.client-secret=" + FakeCxone.CLIENT_SECRET,
            "--ccbridge.sources." + SOURCE + ".kind=cxone-poll",
            "--ccbridge.sources." + SOURCE + ".format=nice-cxone",
            "--ccbridge.sources." + SOURCE + ".pull.oauth-client=cxone",
            "--ccbridge.sources." + SOURCE + ".pull.url=" + FakeCxone.SERVER.baseUrl() + FakeCxone.STATES_PATH,
            // slow enough that the kill comes mid-stream
            "--ccbridge.sources." + SOURCE + ".pull.interval=700ms",
            "--logging.level.root=WARN",
            "--logging.level.org.ccbridge.cluster=INFO");
    }
}
