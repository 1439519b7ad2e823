package org.ccbridge.broker;

import java.time.Duration;
import java.util.HashSet;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.amqp.core.AmqpAdmin;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The backlog monitor of every ccbridge queue, and the route policy that sheds non-critical routes. */
@Configuration(proxyBeanMethods = false)
class BacklogConfiguration {

    @Bean
    BacklogMonitor backlogMonitor(AmqpAdmin admin, BacklogProperties properties, ObjectProvider<MeterRegistry> meters,
                                  @Value("${spring.rabbitmq.virtual-host:/}") String vhost) {
        properties.queues().keySet().stream().filter(queue -> !BrokerTopology.QUEUES.contains(queue)).findFirst()
                .ifPresent(unknown -> {
                    throw new IllegalStateException("ccbridge.broker.backlog.queues names " + unknown
                            + ", which is not a ccbridge queue; the queues are " + BrokerTopology.QUEUES);
                });
        QueueStatsSource passive = new PassiveDeclareStats(admin);
        QueueStatsSource source = properties.managementUrl().isBlank() ? passive : QueueStatsSource.preferring(
                new ManagementApiStats(properties.managementUrl(), vhost, Duration.ofSeconds(2)), passive);
        return new BacklogMonitor(source, properties, BrokerTopology.QUEUES,
                new HashSet<>(BrokerTopology.STATE_CRITICAL_QUEUES), meters.getIfAvailable());
    }

    @Bean(IngressBacklogGate.BEAN)
    IngressBacklogGate ingressBacklogGate(BacklogMonitor monitor, BacklogProperties properties) {
        // the next reading comes after one interval: asking sooner finds the same depth
        Duration retryAfter = properties.interval().compareTo(Duration.ofSeconds(1)) > 0 ? properties.interval()
                : Duration.ofSeconds(1);
        return new IngressBacklogGate(monitor, retryAfter);
    }

    @Bean(ShedUnderBacklogRoutePolicy.BEAN)
    ShedUnderBacklogRoutePolicy shedUnderBacklog(BacklogMonitor monitor) {
        return new ShedUnderBacklogRoutePolicy(monitor);
    }
}
