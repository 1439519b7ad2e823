package org.ccbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.SynchronizationAdapter;
import org.ccbridge.support.LocalService;
import org.ccbridge.support.RequiresServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The amqp-batch consumer against a real RabbitMQ, on queues of its own (classic and quorum), and
 * where the broker matters, against the embedded broker of the zero-install default.
 */
@RequiresServices(LocalService.RABBITMQ)
class AmqpBatchComponentTests {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String ROUTE = "batch";
    // longer than Spring AMQP's 1024-character limit, so it arrives as a LongString
    private static final String LONG_TEXT = "x".repeat(2000);

    enum QueueType {
        CLASSIC, QUORUM
    }

    /** One AMQP message as the route saw it in a batch. */
    record Received(int n, Object body, Map<String, Object> headers) {

        boolean redelivered() {
            return (Boolean) headers.get(AmqpBatchConsumer.REDELIVERED_HEADER);
        }
    }

    private final List<String> queues = new ArrayList<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    private CachingConnectionFactory connections;
    private RabbitAdmin admin;
    private RabbitTemplate template;
    private DefaultCamelContext camel;
    private EmbeddedAmqpBroker embedded;

    @BeforeEach
    void setUp() {
        CachingConnectionFactory rabbit = new CachingConnectionFactory("127.0.0.1", LocalService.RABBITMQ.port());
        rabbit.setUsername("guest");
        rabbit.setPassword("guest");
        connectTo(rabbit);
    }

    private void connectTo(CachingConnectionFactory broker) {
        connections = broker;
        admin = new RabbitAdmin(connections);
        template = new RabbitTemplate(connections);
        camel = new DefaultCamelContext();
        camel.addComponent(AmqpBatchComponent.SCHEME, new AmqpBatchComponent(connections));
        camel.getShutdownStrategy().setTimeout(10);
    }

    @AfterEach
    void tearDown() throws Exception {
        camel.close();
        queues.forEach(admin::deleteQueue);
        connections.destroy();
        if (embedded != null) {
            embedded.close();
        }
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void everyMessageArrivesOnceInBatchesWithItsHeadersAndIsAcked(QueueType type) throws Exception {
        String queue = declare(type);
        AtomicInteger completedUnitsOfWork = new AtomicInteger();
        List<Map<String, Object>> splitHeaders = new CopyOnWriteArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        startRoute(new RouteBuilder() {
            @Override
            public void configure() {
                from("amqp-batch:" + queue + "?batchSize=50&receiveTimeout=20&concurrentConsumers=2").routeId(ROUTE)
                        .process(AmqpBatchComponentTests.this::record)
                        .process(exchange -> threads.add(Thread.currentThread().getName()))
                        .process(exchange -> exchange.getExchangeExtension().addOnCompletion(
                                new SynchronizationAdapter() {
                                    @Override
                                    public void onDone(Exchange done) {
                                        completedUnitsOfWork.incrementAndGet();
                                    }
                                }))
                        .split(body())
                        .process(exchange -> splitHeaders.add(new HashMap<>(exchange.getIn().getHeaders())));
            }
        });

        publish(queue, 0, 120);

        await().atMost(WAIT).until(() -> received.size() >= 120 && splitHeaders.size() >= 120);
        // an unacked or requeued message would be counted in the queue once the consumer is gone
        stopRouteAndSettle();
        assertThat(readyMessages(queue)).isZero();
        assertThat(received).hasSize(120);
        assertThat(received).extracting(Received::n).containsExactlyInAnyOrderElementsOf(range(0, 120));
        assertThat(batchSizes).allSatisfy(size -> assertThat(size).isBetween(1, 50)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(completedUnitsOfWork).hasValue(batchSizes.size());
        assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("amqp-batch-" + queue + "-"));
        for (Received message : received) {
            assertThat(message.body()).isInstanceOf(byte[].class);
            assertThat(new String((byte[]) message.body(), StandardCharsets.UTF_8)).isEqualTo(body(message.n()));
            assertThat(message.headers()).containsEntry("event-id", "evt-" + message.n())
                    .containsEntry("flag", true)
                    .containsEntry("raw", "bytes-" + message.n())
                    .containsEntry("long", LONG_TEXT)
                    .containsEntry(AmqpBatchConsumer.ROUTING_KEY_HEADER, queue)
                    .containsEntry(AmqpBatchConsumer.QUEUE_HEADER, queue)
                    .containsEntry(AmqpBatchConsumer.REDELIVERED_HEADER, false);
        }
        // the splitter hands each item's message, headers and all, to its sub-exchange
        assertThat(splitHeaders).extracting(headers -> headers.get("n"))
                .containsExactlyInAnyOrderElementsOf(range(0, 120));
        assertThat(splitHeaders).allSatisfy(headers -> assertThat(headers)
                .containsEntry(AmqpBatchConsumer.ROUTING_KEY_HEADER, queue));
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void theIndexesOfTheRequeuePropertyComeBackAndTheOthersAreAckedOnce(QueueType type) throws Exception {
        String queue = declare(type);
        publish(queue, 0, 10);
        AtomicBoolean first = new AtomicBoolean(true);

        startRoute(recordingRoute(queue, exchange -> {
            if (first.compareAndSet(true, false)) {
                exchange.setProperty(AmqpBatchConsumer.REQUEUE_PROPERTY, Set.of(1));
            }
        }));

        await().atMost(WAIT).until(() -> received.size() >= 11);
        stopRouteAndSettle();
        assertThat(readyMessages(queue)).isZero();
        assertThat(received).hasSize(11);
        assertThat(batchSizes.get(0)).isGreaterThanOrEqualTo(2);
        int requeued = received.get(1).n();
        List<Received> twice = received.stream().filter(message -> message.n() == requeued).toList();
        assertThat(twice).extracting(Received::redelivered).containsExactly(false, true);
        List<Received> others = received.stream().filter(message -> message.n() != requeued).toList();
        assertThat(others).extracting(Received::n).doesNotHaveDuplicates().hasSize(9);
        assertThat(others).extracting(Received::redelivered).containsOnly(false);
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aFailedExchangeRequeuesItsWholeBatch(QueueType type) throws Exception {
        assertTheFirstBatchComesBackWhole(declare(type), exchange -> {
            throw new IllegalStateException("target unavailable");
        });
    }

    /** The embedded Qpid broker mishandles basic.nack with multiple=true: only its tag came back. */
    @Test
    void aFailedExchangeRequeuesItsWholeBatchOnTheEmbeddedBroker(@TempDir Path workDir) throws Exception {
        camel.close();
        connections.destroy();
        int port = AmqpTestSupport.freePort();
        embedded = new EmbeddedAmqpBroker(port, workDir, AmqpTestSupport.USERNAME, AmqpTestSupport.PASSWORD);
        embedded.start();
        connectTo(AmqpTestSupport.connectionFactory(port));

        assertTheFirstBatchComesBackWhole(declare(QueueType.CLASSIC), exchange -> {
            throw new IllegalStateException("target unavailable");
        });
    }

    @Test
    void anUnusableRequeuePropertyRequeuesTheWholeBatch() throws Exception {
        assertTheFirstBatchComesBackWhole(declare(QueueType.CLASSIC),
                exchange -> exchange.setProperty(AmqpBatchConsumer.REQUEUE_PROPERTY, Set.of("the second")));
    }

    private void assertTheFirstBatchComesBackWhole(String queue, Processor firstBatch) throws Exception {
        publish(queue, 0, 10);
        AtomicBoolean first = new AtomicBoolean(true);

        startRoute(recordingRoute(queue, exchange -> {
            if (first.compareAndSet(true, false)) {
                firstBatch.process(exchange);
            }
        }));

        await().atMost(WAIT).until(() -> !batchSizes.isEmpty() && received.size() >= 10 + batchSizes.get(0));
        stopRouteAndSettle();
        assertThat(readyMessages(queue)).isZero();
        int failed = batchSizes.get(0);
        assertThat(received).hasSize(10 + failed);
        List<Received> firstBatchMessages = received.subList(0, failed);
        List<Received> afterwards = received.subList(failed, received.size());
        assertThat(firstBatchMessages).extracting(Received::redelivered).containsOnly(false);
        assertThat(afterwards).extracting(Received::n).containsExactlyInAnyOrderElementsOf(range(0, 10));
        assertThat(afterwards)
                .filteredOn(message -> firstBatchMessages.stream().anyMatch(f -> f.n() == message.n()))
                .hasSize(failed).extracting(Received::redelivered).containsOnly(true);
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void aSuspendedRouteLeavesMessagesInTheQueueUntilResumed(QueueType type) throws Exception {
        String queue = declare(type);
        startRoute(recordingRoute(queue, exchange -> {
        }));

        camel.getRouteController().suspendRoute(ROUTE);
        publish(queue, 0, 10);

        Thread.sleep(500);
        assertThat(camel.getRouteController().getRouteStatus(ROUTE)).isEqualTo(ServiceStatus.Suspended);
        assertThat(received).isEmpty();
        assertThat(readyMessages(queue)).isEqualTo(10);

        camel.getRouteController().resumeRoute(ROUTE);
        await().atMost(WAIT).until(() -> received.size() >= 10);
        stopRouteAndSettle();
        assertThat(received).extracting(Received::n).containsExactlyInAnyOrderElementsOf(range(0, 10));
        assertThat(readyMessages(queue)).isZero();
    }

    @ParameterizedTest
    @EnumSource(QueueType.class)
    void suspendingFinishesTheBatchInProgressAndReturnsThePrefetchedMessages(QueueType type) throws Exception {
        String queue = declare(type);
        publish(queue, 0, 30);
        CountDownLatch processing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        startRoute(new RouteBuilder() {
            @Override
            public void configure() {
                from("amqp-batch:" + queue + "?batchSize=5&prefetchCount=50&receiveTimeout=20").routeId(ROUTE)
                        .process(AmqpBatchComponentTests.this::record)
                        .process(exchange -> {
                            if (first.compareAndSet(true, false)) {
                                processing.countDown();
                                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                            }
                        });
            }
        });
        assertThat(processing.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

        CompletableFuture<Void> suspending = CompletableFuture.runAsync(() -> {
            try {
                camel.getRouteController().suspendRoute(ROUTE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(300);
        release.countDown();
        suspending.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        // the batch in progress was acked; the rest, prefetched or not, wait in the queue
        await().atMost(WAIT).until(() -> readyMessages(queue) == 30 - batchSizes.get(0));
        Thread.sleep(300);
        assertThat(batchSizes).hasSize(1);
        assertThat(received).hasSize(batchSizes.get(0));
        assertThat(readyMessages(queue)).isEqualTo(30 - batchSizes.get(0));
    }

    @Test
    void consumesEveryQueueOfTheUri() throws Exception {
        String one = declare(QueueType.CLASSIC);
        String other = declare(QueueType.CLASSIC);
        startRoute(recordingRoute(one + "," + other, exchange -> {
        }));

        publish(one, 0, 5);
        publish(other, 5, 5);

        await().atMost(WAIT).until(() -> received.size() >= 10);
        assertThat(received).filteredOn(message -> message.n() < 5).extracting(Received::headers)
                .allSatisfy(headers -> assertThat(headers).containsEntry(AmqpBatchConsumer.QUEUE_HEADER, one));
        assertThat(received).filteredOn(message -> message.n() >= 5).extracting(Received::headers)
                .allSatisfy(headers -> assertThat(headers).containsEntry(AmqpBatchConsumer.QUEUE_HEADER, other));
    }

    @Test
    void anUnknownOrInvalidOptionFailsTheRouteStartNamingIt() throws Exception {
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("amqp-batch:ccbridge.test.never?batchSize=50&bachSize=2").routeId(ROUTE).log("never");
            }
        });
        assertThatThrownBy(camel::start).hasMessageContaining("Unknown parameters=[{bachSize=2}]");

        try (DefaultCamelContext other = new DefaultCamelContext()) {
            other.addComponent(AmqpBatchComponent.SCHEME, new AmqpBatchComponent(connections));
            other.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("amqp-batch:ccbridge.test.never?batchSize=0").routeId(ROUTE).log("never");
                }
            });
            assertThatThrownBy(other::start).hasMessageContaining("Option batchSize of amqp-batch must be positive");
        }
    }

    @Test
    void optionsHaveTheirDefaults() {
        AmqpBatchEndpoint defaults = camel.getEndpoint("amqp-batch:ccbridge.test.never", AmqpBatchEndpoint.class);
        AmqpBatchEndpoint big = camel.getEndpoint("amqp-batch:ccbridge.test.never?batchSize=200",
                AmqpBatchEndpoint.class);
        AmqpBatchEndpoint set = camel.getEndpoint("amqp-batch:ccbridge.test.never?batchSize=200&prefetchCount=300",
                AmqpBatchEndpoint.class);

        assertThat(defaults.getConcurrentConsumers()).isEqualTo(1);
        assertThat(defaults.getBatchSize()).isEqualTo(100);
        assertThat(defaults.getReceiveTimeout()).isEqualTo(10);
        assertThat(defaults.effectivePrefetchCount()).isEqualTo(250);
        assertThat(big.effectivePrefetchCount()).isEqualTo(400);
        assertThat(set.effectivePrefetchCount()).isEqualTo(300);
        assertThatThrownBy(defaults::createProducer).isInstanceOf(UnsupportedOperationException.class);
    }

    private String declare(QueueType type) {
        String name = "ccbridge.test.amqp-batch." + type.name().toLowerCase() + "." + UUID.randomUUID();
        Queue queue = type == QueueType.QUORUM ? QueueBuilder.durable(name).quorum().build()
                : QueueBuilder.nonDurable(name).build();
        admin.declareQueue(queue);
        queues.add(name);
        return name;
    }

    private void publish(String queue, int from, int count) {
        for (int n = from; n < from + count; n++) {
            MessageProperties properties = new MessageProperties();
            properties.setHeader("n", n);
            properties.setHeader("event-id", "evt-" + n);
            properties.setHeader("flag", true);
            properties.setHeader("raw", ("bytes-" + n).getBytes(StandardCharsets.UTF_8));
            properties.setHeader("long", LONG_TEXT);
            template.send("", queue, new Message(body(n).getBytes(StandardCharsets.UTF_8), properties));
        }
    }

    private static String body(int n) {
        return "{\"n\":" + n + "}";
    }

    private RouteBuilder recordingRoute(String queues, Processor then) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("amqp-batch:" + queues + "?batchSize=50&receiveTimeout=20").routeId(ROUTE)
                        .process(AmqpBatchComponentTests.this::record)
                        .process(then);
            }
        };
    }

    private void startRoute(RouteBuilder route) throws Exception {
        camel.addRoutes(route);
        camel.start();
    }

    @SuppressWarnings("unchecked")
    private void record(Exchange exchange) {
        List<org.apache.camel.Message> batch = exchange.getIn().getBody(List.class);
        batchSizes.add(batch.size());
        for (org.apache.camel.Message message : batch) {
            received.add(new Received(message.getHeader("n", Integer.class), message.getBody(),
                    new HashMap<>(message.getHeaders())));
        }
    }

    /** Stops the consumer, whose channel's unacked messages then return to the queue. */
    private void stopRouteAndSettle() throws Exception {
        camel.getRouteController().stopRoute(ROUTE);
        Thread.sleep(200);
    }

    private int readyMessages(String queue) {
        return admin.getQueueInfo(queue).getMessageCount();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }
}
