package org.ccbridge.sync;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.coordination.GatheredLockStore;
import org.ccbridge.coordination.LockStore;
import org.ccbridge.crm.CrmTargets;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.fate.EventFate;
import org.ccbridge.normalize.PhoneNumbers;
import org.ccbridge.normalize.ValueNormalizer;
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
import org.ccbridge.sync.pipeline.OneByOneStage;
import org.ccbridge.sync.pipeline.OutcomeStage;
import org.ccbridge.sync.pipeline.SyncFate;
import org.ccbridge.tracing.EventTracing;
import org.ccbridge.sync.pipeline.ReadChangeStage;
import org.ccbridge.sync.pipeline.RecordLockStage;
import org.ccbridge.sync.pipeline.ReviewStage;
import org.ccbridge.sync.pipeline.SyncBatchCollector;
import org.ccbridge.sync.pipeline.SyncBatchEnds;
import org.ccbridge.sync.pipeline.SyncRetryPolicy;
import org.ccbridge.sync.pipeline.TargetWriteStage;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;

@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

    /** The lane of contact-center changes, which writes to the CRM. */
    static final String CONTACT_CENTER_LANE = "record-sync-contact-center";
    /** The lane of CRM changes, which writes to the contact center. */
    static final String CRM_LANE = "record-sync-crm";

    @Bean
    ValueNormalizer valueNormalizer(SyncProperties properties) {
        return new ValueNormalizer(new PhoneNumbers(properties.defaultRegion()));
    }

    @Bean
    RecordStateRepository recordStateRepository(JdbcTemplate jdbc) {
        return new RecordStateRepository(jdbc);
    }

    @Bean
    ReviewQueue reviewQueue(JdbcTemplate jdbc) {
        return new ReviewQueue(jdbc);
    }

    @Bean
    ChangeReader changeReader(SyncProperties properties, ValueNormalizer normalizer) {
        return new ChangeReader(properties, normalizer);
    }

    @Bean
    SyncEngine syncEngine(SyncProperties properties, RecordStateRepository states, ReviewQueue reviews,
                          ValueNormalizer normalizer, CrmTargets targets, FencedLocks locks, Clock clock) {
        validate(properties, targets);
        return new SyncEngine(properties, decider(properties), states, reviews,
                new TargetPayloads(properties, normalizer), system -> target(properties, targets, system), locks, clock);
    }

    @Bean
    ReviewDecisions reviewDecisions(SyncProperties properties, ValueNormalizer normalizer, ReviewQueue reviews,
                                    SyncEngine engine) {
        return new ReviewDecisions(properties, normalizer, reviews, engine);
    }

    @Bean
    ReadChangeStage syncReadChange(ChangeReader reader) {
        return new ReadChangeStage(reader);
    }

    @Bean
    NormalizeStage syncNormalize(ChangeReader reader) {
        return new NormalizeStage(reader);
    }

    /**
     * The record locks of the pipeline: the same store and resources as every other holder, with
     * the acquisitions and releases of concurrent changes sharing round trips.
     */
    @Bean
    RecordLockStage recordLockStage(LockStore store, ScheduledExecutorService lockRenewals, SyncProperties properties,
                                    Clock clock) {
        GatheredLockStore gathered = new GatheredLockStore(store, properties.gather().maxBatch(),
                properties.gather().workers(), properties.lock().maxWait());
        return new RecordLockStage(new FencedLocks(gathered, lockRenewals, clock), properties.lock(), gathered);
    }

    @Bean
    Processor syncLock(RecordLockStage stage) {
        return stage.take();
    }

    @Bean
    Processor syncRelease(RecordLockStage stage) {
        return stage.release();
    }

    /** The pipeline's record states: the reads and saves of concurrent changes share round trips. */
    @Bean
    GatheredRecordStates gatheredRecordStates(RecordStateRepository states, SyncProperties properties) {
        return new GatheredRecordStates(states, properties.gather().maxBatch(), properties.gather().workers());
    }

    /** The decision and planning of one change, shared by the one-change and the batch decide stages. */
    @Bean
    ChangePlanning changePlanning(SyncEngine engine, SyncProperties properties, Clock clock) {
        return new ChangePlanning(decider(properties), engine.planner(), clock);
    }

    @Bean
    DecideStage syncDecide(GatheredRecordStates states, ChangePlanning planning) {
        return new DecideStage(states, planning);
    }

    @Bean
    ReviewStage syncReview(ReviewQueue reviews, Clock clock) {
        return new ReviewStage(new ReviewRecorder(reviews, clock));
    }

    @Bean
    TargetWriteStage targetWriteStage(SyncProperties properties, CrmTargets targets) {
        return new TargetWriteStage(system -> target(properties, targets, system));
    }

    @Bean
    Processor syncWriteCrm(TargetWriteStage stage) {
        return stage.to(SyncSystem.CRM);
    }

    @Bean
    Processor syncWriteContactCenter(TargetWriteStage stage) {
        return stage.to(SyncSystem.CONTACT_CENTER);
    }

    @Bean
    CommitStage syncCommit(GatheredRecordStates states, Clock clock) {
        return new CommitStage(new StateCommitter(states, clock));
    }

    @Bean
    OutcomeStage syncOutcome(MeterRegistry registry, EventFate fate, SyncProperties properties) {
        return new OutcomeStage(registry, new SyncFate(fate, Map.of(SyncSystem.CRM, properties.crmTarget(),
                SyncSystem.CONTACT_CENTER, properties.contactCenterTarget())));
    }

    // the batched contact-center lane's stages (routes/record-sync-batch.camel.yaml)

    @Bean
    Processor syncBatchOpen() {
        return SyncBatchEnds.open();
    }

    @Bean
    Processor syncBatchClose(MeterRegistry registry) {
        return SyncBatchEnds.close(registry);
    }

    @Bean
    Processor syncBatchFailure() {
        return OneByOneStage.writeFailure();
    }

    @Bean
    Processor syncBatchFallBack() {
        return OneByOneStage.fallBack();
    }

    @Bean
    SyncBatchCollector syncBatchCollector() {
        return SyncBatchCollector.gathering();
    }

    @Bean
    SyncBatchCollector syncBatchOneByOneCollector() {
        return SyncBatchCollector.oneByOne();
    }

    @Bean
    BatchLockStage batchLockStage(RecordLockStage recordLocks, SyncProperties properties) {
        return new BatchLockStage(recordLocks.locks(), properties.lock());
    }

    @Bean
    Processor syncBatchLock(BatchLockStage stage) {
        return stage.take();
    }

    @Bean
    Processor syncBatchRelease(BatchLockStage stage) {
        return stage.release();
    }

    @Bean
    BatchDecideStage syncBatchDecide(RecordStateRepository states, ChangePlanning planning) {
        return new BatchDecideStage(states, planning);
    }

    @Bean
    BatchReviewStage syncBatchReview(ReviewQueue reviews, Clock clock) {
        return new BatchReviewStage(new ReviewRecorder(reviews, clock));
    }

    @Bean
    BatchWriteStage batchWriteStage(SyncProperties properties, CrmTargets targets, EventTracing tracing) {
        return new BatchWriteStage(system -> target(properties, targets, system), tracing);
    }

    @Bean
    Processor syncBatchWriteCrm(BatchWriteStage stage) {
        return stage.to(SyncSystem.CRM);
    }

    @Bean
    Processor syncBatchWriteCrmFailed(BatchWriteStage stage) {
        return stage.failed(SyncSystem.CRM);
    }

    @Bean
    Processor syncBatchWriteContactCenter(BatchWriteStage stage) {
        return stage.to(SyncSystem.CONTACT_CENTER);
    }

    @Bean
    Processor syncBatchWriteContactCenterFailed(BatchWriteStage stage) {
        return stage.failed(SyncSystem.CONTACT_CENTER);
    }

    @Bean
    BatchCommitStage syncBatchCommit(RecordStateRepository states, Clock clock) {
        return new BatchCommitStage(states, clock);
    }

    @Bean
    BatchOutcomeStage syncBatchOutcome(OutcomeStage outcomes) {
        return new BatchOutcomeStage(outcomes);
    }

    @Bean
    SyncRetryPolicy syncRetryPolicy(SyncProperties properties, MeterRegistry registry) {
        return new SyncRetryPolicy(properties.retry(), registry);
    }

    /** The CRM target's breaker, for the route's circuitBreaker EIP; a breaker of its own when no CRM target is set. */
    @Bean
    CircuitBreaker crmCircuitBreaker(SyncProperties properties, CrmTargets targets) {
        return breaker(properties, targets, SyncSystem.CRM);
    }

    @Bean
    CircuitBreaker contactCenterCircuitBreaker(SyncProperties properties, CrmTargets targets) {
        return breaker(properties, targets, SyncSystem.CONTACT_CENTER);
    }

    private static CircuitBreaker breaker(SyncProperties properties, CrmTargets targets, SyncSystem system) {
        // a route is built with both breakers; with no target for a system, nothing is planned for it
        return target(properties, targets, system).map(GuardedTarget::circuitBreaker)
                .orElseGet(() -> CircuitBreaker.ofDefaults("unconfigured-" + system.name().toLowerCase(Locale.ROOT)));
    }

    private static SyncDecider decider(SyncProperties properties) {
        ConflictResolver resolver = new ConflictResolver(properties.timestampTolerance(), properties.hierarchy(),
                properties::priority);
        return new SyncDecider(resolver, properties.loopBreaker());
    }

    /**
     * The listener advice of the sync route: no redelivery in the listener (the route retries on its
     * own), and a message whose exception the route did not handle goes back to the queue. The
     * component's default advice acks such a message when its attempts run out.
     */
    @Bean
    RetryOperationsInterceptor requeueOnFailure() {
        // not ImmediateRequeueMessageRecoverer: it logs every message's headers at WARN
        return RetryInterceptorBuilder.stateless().maxAttempts(1)
                .recoverer((message, cause) -> {
                    throw new ImmediateRequeueAmqpException("back to the queue: " + cause.getMessage(), cause);
                }).build();
    }

    /** Each lane is paused while the circuit of the target it writes to is open. */
    @Bean
    SyncConsumerControl syncConsumerControl(CamelContext camel, SyncProperties properties, CrmTargets targets) {
        Map<String, GuardedTarget> lanes = new LinkedHashMap<>();
        target(properties, targets, SyncSystem.CRM).ifPresent(target -> lanes.put(CONTACT_CENTER_LANE, target));
        target(properties, targets, SyncSystem.CONTACT_CENTER).ifPresent(target -> lanes.put(CRM_LANE, target));
        return new SyncConsumerControl(camel, lanes);
    }

    private static Optional<GuardedTarget> target(SyncProperties properties, CrmTargets targets, SyncSystem system) {
        return targets.find(system == SyncSystem.CRM ? properties.crmTarget() : properties.contactCenterTarget());
    }

    /** A sync that is switched on must be able to write somewhere; say what is missing at start. */
    private static void validate(SyncProperties properties, CrmTargets targets) {
        if (!properties.enabled()) {
            return;
        }
        if (properties.objects().isEmpty()) {
            throw new IllegalStateException("ccbridge.sync.enabled is true but ccbridge.sync.objects maps no object");
        }
        for (String name : List.of(properties.crmTarget(), properties.contactCenterTarget())) {
            if (!name.isEmpty() && targets.find(name).isEmpty()) {
                throw new IllegalStateException("ccbridge.sync names target " + name
                        + ", which ccbridge.crm.targets does not configure");
            }
        }
        if (properties.crmTarget().isEmpty() && properties.contactCenterTarget().isEmpty()) {
            throw new IllegalStateException("ccbridge.sync.enabled is true but neither crm-target nor "
                    + "contact-center-target is set");
        }
    }
}
