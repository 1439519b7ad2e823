package org.ccbridge.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetricsPublisher;
import io.micrometer.core.instrument.MeterRegistry;

import org.ccbridge.coordination.MutationGateway;
import org.ccbridge.crm.CrmTargets;
import org.ccbridge.crm.GuardedTarget;
import org.ccbridge.dedup.SlowStoreBreaker;
import org.ccbridge.notify.ChannelRoute;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Resilience4j's own metrics for every circuit breaker of the service: CRM targets
 * ({@code crm-<name>}), notification providers ({@code notify-<name>}), gateway targets
 * ({@code gateway-<name>}) and the dedup store ({@code dedup-store}). Among them
 * {@code resilience4j_circuitbreaker_state{name,state}} (1 for the state it is in) and
 * {@code resilience4j_circuitbreaker_failure_rate{name}}. The breakers are made one by one from
 * configuration, not in a registry, so they are published here once all of them exist.
 */
@Component
class CircuitBreakerMetrics implements SmartInitializingSingleton {

    private final ObjectProvider<MeterRegistry> meters;
    private final ObjectProvider<CrmTargets> crmTargets;
    private final ObjectProvider<Map<String, ChannelRoute>> notificationChannels;
    private final ObjectProvider<MutationGateway> gateway;
    private final ObjectProvider<SlowStoreBreaker> dedupStore;

    CircuitBreakerMetrics(ObjectProvider<MeterRegistry> meters, ObjectProvider<CrmTargets> crmTargets,
                          ObjectProvider<Map<String, ChannelRoute>> notificationChannels,
                          ObjectProvider<MutationGateway> gateway, ObjectProvider<SlowStoreBreaker> dedupStore) {
        this.meters = meters;
        this.crmTargets = crmTargets;
        this.notificationChannels = notificationChannels;
        this.gateway = gateway;
        this.dedupStore = dedupStore;
    }

    @Override
    public void afterSingletonsInstantiated() {
        MeterRegistry registry = meters.getIfAvailable();
        if (registry == null) {
            return;
        }
        TaggedCircuitBreakerMetricsPublisher publisher = new TaggedCircuitBreakerMetricsPublisher(registry);
        breakers().stream().distinct().forEach(publisher::publishMetrics);
    }

    /** Every breaker the service made, by the beans that hold them. */
    List<CircuitBreaker> breakers() {
        List<CircuitBreaker> breakers = new ArrayList<>();
        crmTargets.ifAvailable(targets -> targets.all().stream().map(GuardedTarget::circuitBreaker).forEach(breakers::add));
        notificationChannels.ifAvailable(channels -> channels.values().forEach(route ->
                route.providers().forEach(provider -> breakers.add(provider.circuitBreaker()))));
        gateway.ifAvailable(mutations -> breakers.addAll(mutations.circuitBreakers()));
        dedupStore.ifAvailable(store -> breakers.add(store.circuitBreaker()));
        return breakers;
    }
}
