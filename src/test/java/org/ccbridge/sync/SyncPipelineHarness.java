package org.ccbridge.sync;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.ccbridge.broker.AmqpBatchConsumer;
import org.ccbridge.broker.DeadLetterProcessor;
import org.ccbridge.broker.EventPublishProcessor;
import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.coordination.GatheredLockStore;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.fate.EventFate;
import org.ccbridge.store.JdbcLockStore;
import org.ccbridge.support.ProjectRoutes;
import org.ccbridge.sync.pipeline.BatchCommitStage;
import org.ccbridge.sync.pipeline.BatchDecideStage;
import org.ccbridge.sync.pipeline.BatchLockStage;
import org.ccbridge.sync.pipeline.BatchOutcomeStage;
import org.ccbridge.sync.pipeline.BatchReviewStage;
import org.ccbridge.sync.pipeline.BatchWriteStage;
import org.ccbridge.sync.pipeline.ChangePlanning;
import org.ccbridge.sync.pipeline.CommitStage;
import org.ccbridge.sync.pipeline.DecideStage;
import org.ccbridge.sync.pipeline.NormalizeStage;
import org.ccbridge.sync.pipeline.OutcomeStage;
import org.ccbridge.sync.pipeline.ReadChangeStage;
import org.ccbridge.sync.pipeline.SyncFate;
import org.ccbridge.sync.pipeline.RecordLockStage;
import org.ccbridge.sync.pipeline.OneByOneStage;
import org.ccbridge.sync.pipeline.ReviewStage;
import org.ccbridge.sync.pipeline.SyncBatch;
import org.ccbridge.sync.pipeline.SyncBatchCollector;
import org.ccbridge.sync.pipeline.SyncBatchEnds;
import org.ccbridge.sync.pipeline.SyncRetryPolicy;
import org.ccbridge.sync.pipeline.TargetWriteStage;
import org.ccbridge.tracing.EventTraceRoutePolicy;
import org.ccbridge.tracing.EventTracing;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * The record-sync route files as shipped (the pipeline, its two lanes and sync-errors), on a Camel context of their own with the fixture's
 * beans. AdviceWith replaces the lanes' RabbitMQ consumers with direct endpoints; a dead letter
 * is recorded instead of published. An exchange that ends with an exception is one the listener
 * would put back in its queue.
 */
final class SyncPipelineHarness implements AutoCloseable {

    /** What became of one event. */
    record Result(String status, Exception requeuedFor, DeadLetter deadLetter) {

        boolean requeued() {
            return requeuedFor != null;
        }
    }

    /** A dead letter as the route handed it to the DLQ publisher. */
    record DeadLetter(String eventId, String error, int attempts, byte[] body) {
    }

    final DefaultCamelContext camel = new DefaultCamelContext();
    /** The batched lane's meters. */
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SyncFixture fixture;
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final ProducerTemplate producer;
    private final GatheredRecordStates states;
    private final GatheredLockStore lockStore;

    /** @param adviceFor extra advice per route id, applied before the context starts */
    SyncPipelineHarness(SyncFixture fixture, Map<String, ThrowingAdvice> adviceFor) throws Exception {
        this.fixture = fixture;
        this.states = new GatheredRecordStates(fixture.states, 200, 2);
        this.lockStore = new GatheredLockStore(new JdbcLockStore(new JdbcTemplate(fixture.database), Clock.systemUTC()),
                200, 2, fixture.properties.lock().maxWait());
        Properties settings = new Properties();
        settings.put("ccbridge.sync.enabled", "true");
        settings.put("ccbridge.sync.consumers", "1");
        settings.put("ccbridge.sync.prefetch", "1");
        settings.put("ccbridge.sync.batch.size", "1");
        settings.put("ccbridge.sync.batch.linger-ms", "10");
        camel.getPropertiesComponent().setInitialProperties(settings);
        bindBeans(fixture);
        loadRouteFiles(camel, "sync-errors.camel.yaml", "record-sync.camel.yaml", "record-sync-prepare.camel.yaml",
                "record-sync-one.camel.yaml", "record-sync-batch.camel.yaml", "record-sync-contact-center.camel.yaml",
                "record-sync-contact-center-event.camel.yaml", "record-sync-contact-center-one.camel.yaml",
                "record-sync-crm.camel.yaml");
        AdviceWith.adviceWith(camel, "record-sync-contact-center", route -> route.replaceFromWith("direct:contact-center-lane"));
        AdviceWith.adviceWith(camel, "record-sync-crm", route -> route.replaceFromWith("direct:crm-lane"));
        for (Map.Entry<String, ThrowingAdvice> advice : adviceFor.entrySet()) {
            AdviceWith.adviceWith(camel, advice.getKey(), route -> advice.getValue().advise(route));
        }
        camel.start();
        producer = camel.createProducerTemplate();
    }

    /** Loads route files of the project's routes/ folder, as shipped, into {@code camel}. */
    static void loadRouteFiles(DefaultCamelContext camel, String... files) throws Exception {
        ProjectRoutes.load(camel, files);
    }

    SyncPipelineHarness(SyncFixture fixture) throws Exception {
        this(fixture, Map.of());
    }

    /** Advice that may throw, as AdviceWith's own builder methods do. */
    @FunctionalInterface
    interface ThrowingAdvice {
        void advise(AdviceWithRouteBuilder route) throws Exception;
    }

    private void bindBeans(SyncFixture fixture) {
        SyncProperties properties = fixture.properties;
        ConflictResolver resolver = new ConflictResolver(properties.timestampTolerance(), properties.hierarchy(),
                properties::priority);
        SyncDecider decider = new SyncDecider(resolver, properties.loopBreaker());
        Clock clock = Clock.systemUTC();
        FencedLocks locks = new FencedLocks(lockStore, fixture.renewals, clock);
        var registry = camel.getRegistry();
        registry.bind("syncReadChange", new ReadChangeStage(fixture.reader));
        registry.bind("syncNormalize", new NormalizeStage(fixture.reader));
        RecordLockStage lock = new RecordLockStage(locks, properties.lock(), () -> { });
        registry.bind("syncLock", lock.take());
        registry.bind("syncRelease", lock.release());
        ChangePlanning planning = new ChangePlanning(decider, fixture.engine.planner(), clock);
        registry.bind("syncDecide", new DecideStage(states, planning));
        registry.bind("syncReview", new ReviewStage(new ReviewRecorder(fixture.reviews, clock)));
        TargetWriteStage write = new TargetWriteStage(fixture::target);
        registry.bind("syncWriteCrm", write.to(SyncSystem.CRM));
        registry.bind("syncWriteContactCenter", write.to(SyncSystem.CONTACT_CENTER));
        registry.bind("syncCommit", new CommitStage(new StateCommitter(states, clock)));
        registry.bind("syncOutcome", new OutcomeStage(new SimpleMeterRegistry(), new SyncFate(EventFate.disabled(), Map.of())));
        registry.bind("eventTrace", new EventTraceRoutePolicy(EventTracing.none()));
        registry.bind("syncRetryPolicy", new SyncRetryPolicy(properties.retry(), new SimpleMeterRegistry()));
        registry.bind("crmCircuitBreaker", breaker(fixture, SyncSystem.CRM));
        registry.bind("contactCenterCircuitBreaker", breaker(fixture, SyncSystem.CONTACT_CENTER));
        registry.bind("deadLetterProcessor", (Processor) this::recordDeadLetter);
        bindBatchBeans(fixture, planning, locks, clock);
    }

    /** The stages of the batched contact-center lane (record-sync-batch and the lane's routes). */
    private void bindBatchBeans(SyncFixture fixture, ChangePlanning planning, FencedLocks locks, Clock clock) {
        var registry = camel.getRegistry();
        registry.bind("syncBatchOpen", SyncBatchEnds.open());
        registry.bind("syncBatchClose", SyncBatchEnds.close(meters));
        registry.bind("syncBatchCollector", SyncBatchCollector.gathering());
        registry.bind("syncBatchOneByOneCollector", SyncBatchCollector.oneByOne());
        registry.bind("syncBatchFailure", OneByOneStage.writeFailure());
        registry.bind("syncBatchFallBack", OneByOneStage.fallBack());
        BatchLockStage lock = new BatchLockStage(locks, fixture.properties.lock());
        registry.bind("syncBatchLock", lock.take());
        registry.bind("syncBatchRelease", lock.release());
        registry.bind("syncBatchDecide", new BatchDecideStage(fixture.states, planning));
        registry.bind("syncBatchReview", new BatchReviewStage(new ReviewRecorder(fixture.reviews, clock)));
        BatchWriteStage write = new BatchWriteStage(fixture::target, EventTracing.none());
        registry.bind("syncBatchWriteCrm", write.to(SyncSystem.CRM));
        registry.bind("syncBatchWriteCrmFailed", write.failed(SyncSystem.CRM));
        registry.bind("syncBatchWriteContactCenter", write.to(SyncSystem.CONTACT_CENTER));
        registry.bind("syncBatchWriteContactCenterFailed", write.failed(SyncSystem.CONTACT_CENTER));
        registry.bind("syncBatchCommit", new BatchCommitStage(fixture.states, clock));
        registry.bind("syncBatchOutcome", new BatchOutcomeStage(new OutcomeStage(new SimpleMeterRegistry(), new SyncFate(EventFate.disabled(), Map.of()))));
    }

    private static CircuitBreaker breaker(SyncFixture fixture, SyncSystem system) {
        return fixture.target(system).map(GuardedTarget::circuitBreaker)
                .orElseGet(() -> CircuitBreaker.ofDefaults("unconfigured-" + system));
    }

    private void recordDeadLetter(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        Integer attempts = exchange.getProperty(DeadLetterProcessor.ATTEMPTS_PROPERTY, Integer.class);
        deadLetters.add(new DeadLetter(exchange.getMessage().getHeader(EventPublishProcessor.EVENT_ID_HEADER, String.class),
                failure == null ? "unknown" : failure.getClass().getSimpleName() + ": " + failure.getMessage(),
                attempts == null ? 1 : attempts, exchange.getMessage().getBody(byte[].class)));
    }

    /** Delivers an event as a lane's consumer would: the record key put where its system sends it. */
    Result deliver(String source, String recordKey, String body) {
        return deliverAll(source, List.<String[]>of(new String[] {recordKey, body})).get(0);
    }

    /**
     * Delivers events of one source as its lane's consumer would: the contact-center lane's as one
     * batch, the CRM lane's one by one. Each entry is a record key and a body.
     */
    List<Result> deliverAll(String source, List<String[]> events) {
        List<Message> messages = new ArrayList<>();
        for (String[] event : events) {
            Message message = new DefaultMessage(camel);
            message.setBody(fixture.event(source, event[0], event[1]));
            message.setHeader(EventPublishProcessor.SOURCE_HEADER, source);
            message.setHeader(EventPublishProcessor.EVENT_ID_HEADER, UUID.randomUUID().toString());
            message.setHeader(EventPublishProcessor.OCCURRED_AT_HEADER, Instant.now().toString());
            messages.add(message);
        }
        List<Result> results = new ArrayList<>();
        if (fixture.reader.systemOf(source) == SyncSystem.CRM) {
            for (Message message : messages) {
                Exchange exchange = producer.send("direct:crm-lane", sent -> sent.setIn(message.copy()));
                results.add(new Result(exchange.getMessage().getHeader(OutcomeStage.STATUS_HEADER, String.class),
                        exchange.getException(), deadLetterOf(message)));
            }
            return results;
        }
        Exchange exchange = producer.send("direct:contact-center-lane", sent -> sent.getMessage().setBody(messages));
        SyncBatch batch = exchange.getProperty(SyncBatch.PROPERTY, SyncBatch.class);
        // what the consumer reads: the events the lane's last step named, none if the lane never got there
        @SuppressWarnings("unchecked")
        Set<Integer> named = exchange.getProperty(AmqpBatchConsumer.REQUEUE_PROPERTY, Set.of(), Set.class);
        for (int i = 0; i < messages.size(); i++) {
            // the whole batch goes back to its queue when the exchange failed; else the events the lane named
            Exception requeued = exchange.getException() != null ? exchange.getException()
                    : named.contains(i) ? batch.requeueCause(i) : null;
            results.add(new Result(batch.statusOf(i), requeued, deadLetterOf(messages.get(i))));
        }
        return results;
    }

    private DeadLetter deadLetterOf(Message message) {
        String eventId = message.getHeader(EventPublishProcessor.EVENT_ID_HEADER, String.class);
        return deadLetters.stream().filter(letter -> eventId.equals(letter.eventId())).findFirst().orElse(null);
    }

    /** How many changes have left the batch stages for the one-change path, for this reason. */
    double alone(String reason) {
        return meters.counter(SyncBatchEnds.ALONE_METER, "reason", reason).count();
    }

    @Override
    public void close() {
        camel.stop();
        states.close();
        lockStore.close();
    }
}
