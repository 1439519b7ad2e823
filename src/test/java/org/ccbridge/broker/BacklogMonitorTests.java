package org.ccbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The backlog monitor against the local RabbitMQ, its depth driven by queues nobody consumes
 * (a paused consumer): levels with hysteresis, each change logged once, shedding only for the
 * state-critical queues, the hard limit, and the exported gauges.
 */
@RequiresServices(LocalService.RABBITMQ)
class BacklogMonitorTests {

    private static CachingConnectionFactory connections;
    private static RabbitAdmin admin;
    private static RabbitTemplate rabbit;

    private final String lane = "ccbridge-test.backlog.lane-" + UUID.randomUUID();
    private final String other = "ccbridge-test.backlog.other-" + UUID.randomUUID();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final List<Boolean> shedding = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void connect() {
        connections = new CachingConnectionFactory("127.0.0.1", LocalService.RABBITMQ.port());
        connections.setUsername("guest");
        connections.setPassword("guest");
        admin = new RabbitAdmin(connections);
        rabbit = new RabbitTemplate(connections);
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @BeforeEach
    void declareAndListen() {
        admin.declareQueue(new Queue(lane, false, false, false));
        admin.declareQueue(new Queue(other, false, false, false));
        log.start();
        ((Logger) LoggerFactory.getLogger(BacklogMonitor.class)).addAppender(log);
    }

    @AfterEach
    void deleteAndStopListening() {
        ((Logger) LoggerFactory.getLogger(BacklogMonitor.class)).detachAppender(log);
        admin.deleteQueue(lane);
        admin.deleteQueue(other);
    }

    @Test
    void aPausedLaneWarnsShedsAndResumesOnlyUnderItsResumeThreshold() {
        BacklogMonitor monitor = monitor(new BacklogProperties.Thresholds(3, 6, 2, 8));

        fillTo(lane, 4);
        monitor.sample();
        assertThat(monitor.reading(lane).orElseThrow().level()).isEqualTo(BacklogLevel.WARN);
        assertThat(monitor.shedding()).isFalse();

        fillTo(lane, 7);
        monitor.sample();
        monitor.sample();
        assertThat(monitor.reading(lane).orElseThrow().level()).isEqualTo(BacklogLevel.SHED);
        assertThat(shedding).as("told once, though read twice").containsExactly(true);

        drainTo(lane, 4);
        monitor.sample();
        assertThat(monitor.reading(lane).orElseThrow().level()).as("under shed and warn, not under resume")
                .isEqualTo(BacklogLevel.SHED);
        assertThat(monitor.shedding()).isTrue();

        fillTo(lane, 8);
        monitor.sample();
        assertThat(monitor.overHardLimit(lane)).isTrue();

        drainTo(lane, 1);
        monitor.sample();
        monitor.sample();
        assertThat(monitor.reading(lane).orElseThrow().level()).isEqualTo(BacklogLevel.NORMAL);
        assertThat(monitor.overHardLimit(lane)).isFalse();
        assertThat(shedding).containsExactly(true, false);

        assertThat(messages()).filteredOn(line -> line.startsWith("Queue " + lane + " backlog WARN:")).hasSize(1);
        assertThat(messages()).filteredOn(line -> line.startsWith("Queue " + lane + " backlog SHED:")).hasSize(1);
        assertThat(messages()).filteredOn(line -> line.startsWith("Queue " + lane + " backlog NORMAL again")).hasSize(1);
        assertThat(messages()).filteredOn(line -> line.startsWith("Shedding: ")).hasSize(1);
        assertThat(messages()).filteredOn(line -> line.startsWith("Shedding over: ")).hasSize(1);
        assertThat(messages()).filteredOn(line -> line.startsWith("Queue " + lane + " at its hard limit")).hasSize(1);
        assertThat(messages()).filteredOn(line -> line.startsWith("Queue " + lane + " under its hard limit")).hasSize(1);
    }

    @Test
    void depthVelocityAndLevelAreExportedPerQueue() {
        BacklogMonitor monitor = monitor(new BacklogProperties.Thresholds(3, 6, 2, 0));
        assertThat(gauge("ccbridge.queue.depth", lane)).as("before the first reading").isEqualTo(-1);

        monitor.sample();
        fillTo(lane, 5);
        monitor.sample();

        assertThat(gauge("ccbridge.queue.depth", lane)).isEqualTo(5);
        assertThat(gauge("ccbridge.queue.velocity", lane)).as("growing").isPositive();
        assertThat(gauge("ccbridge.queue.backlog.level", lane)).isEqualTo(1);
        assertThat(gauge("ccbridge.queue.depth", other)).isZero();

        drainTo(lane, 2);
        monitor.sample();
        assertThat(gauge("ccbridge.queue.velocity", lane)).as("shrinking").isNegative();
    }

    @Test
    void aQueueThatIsNotStateCriticalShedsNothing() {
        BacklogMonitor monitor = monitor(new BacklogProperties.Thresholds(3, 6, 2, 0));

        fillTo(other, 7);
        monitor.sample();

        assertThat(monitor.reading(other).orElseThrow().level()).isEqualTo(BacklogLevel.SHED);
        assertThat(monitor.shedding()).isFalse();
        assertThat(shedding).isEmpty();
    }

    @Test
    void aBrokerThatDoesNotAnswerLeavesTheLastReading() {
        CachingConnectionFactory nowhere = new CachingConnectionFactory("127.0.0.1", 1);
        nowhere.setConnectionTimeout(500);
        try {
            BacklogMonitor monitor = new BacklogMonitor(new PassiveDeclareStats(new RabbitAdmin(nowhere)), properties(
                    new BacklogProperties.Thresholds(3, 6, 2, 0)), List.of(lane), Set.of(lane), meters);

            monitor.sample();

            assertThat(monitor.reading(lane)).isEmpty();
            assertThat(monitor.shedding()).isFalse();
        } finally {
            nowhere.destroy();
        }
    }

    private BacklogMonitor monitor(BacklogProperties.Thresholds laneThresholds) {
        BacklogMonitor monitor = new BacklogMonitor(new PassiveDeclareStats(admin), properties(laneThresholds), List.of(lane, other),
                Set.of(lane), meters);
        monitor.onShedding(shedding::add);
        return monitor;
    }

    private BacklogProperties properties(BacklogProperties.Thresholds thresholds) {
        return new BacklogProperties(Duration.ofSeconds(5), Map.of(lane, thresholds, other, thresholds), "");
    }

    private void fillTo(String queue, int depth) {
        long missing = depth - depth(queue);
        for (int i = 0; i < missing; i++) {
            rabbit.convertAndSend("", queue, "event " + i);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> depth(queue) == depth);
    }

    private void drainTo(String queue, int depth) {
        while (depth(queue) > depth) {
            rabbit.receive(queue, 1_000);
        }
    }

    private static long depth(String queue) {
        return admin.getQueueInfo(queue).getMessageCount();
    }

    private double gauge(String name, String queue) {
        return meters.get(name).tag("queue", queue).gauge().value();
    }

    private List<String> messages() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
}
