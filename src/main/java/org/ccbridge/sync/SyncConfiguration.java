package org.ccbridge.sync;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.CamelContext;
import org.ccbridge.coordination.FencedLocks;
import org.ccbridge.crm.CrmTargets;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.normalize.PhoneNumbers;
import org.ccbridge.normalize.ValueNormalizer;
import org.springframework.amqp.rabbit.config.RetryInterceptorBuilder;
import org.springframework.amqp.ImmediateRequeueAmqpException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.retry.interceptor.RetryOperationsInterceptor;

@Configuration(proxyBeanMethods = false)
class SyncConfiguration {

    static final String ROUTE_ID = "record-sync";

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
        ConflictResolver resolver = new ConflictResolver(properties.timestampTolerance(), properties.hierarchy(),
                properties::priority);
        return new SyncEngine(properties, new SyncDecider(resolver, properties.loopBreaker()), states, reviews,
                new TargetPayloads(properties, normalizer), system -> target(properties, targets, system), locks, clock);
    }

    @Bean
    ReviewDecisions reviewDecisions(SyncProperties properties, ValueNormalizer normalizer, ReviewQueue reviews,
                                    SyncEngine engine) {
        return new ReviewDecisions(properties, normalizer, reviews, engine);
    }

    @Bean
    RecordSyncProcessor recordSyncProcessor(ChangeReader reader, SyncEngine engine, SyncProperties properties,
                                            MeterRegistry registry) {
        return new RecordSyncProcessor(reader, new SyncRetrier(engine, properties.retry()), registry);
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

    @Bean
    SyncConsumerControl syncConsumerControl(CamelContext camel, SyncProperties properties, CrmTargets targets) {
        List<GuardedTarget> used = Stream.of(properties.crmTarget(), properties.contactCenterTarget())
                .map(targets::find).flatMap(Optional::stream).toList();
        return new SyncConsumerControl(camel, ROUTE_ID, used);
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
