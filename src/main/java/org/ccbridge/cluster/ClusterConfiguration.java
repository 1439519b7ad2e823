package org.ccbridge.cluster;

import java.time.Clock;
import java.util.UUID;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import org.ccbridge.coordination.LockStore;

/** The cluster service that {@code master:} endpoints in the route files find in the registry. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    LeaseClusterService leaseClusterService(LockStore locks, Clock clock, ClusterProperties properties) {
        return new LeaseClusterService(instanceId(), locks, clock, properties.lease(), properties.renewInterval());
    }

    /** Names this instance in the lock store and in the leadership log lines: host, process, and a random part. */
    private static String instanceId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "ccbridge");
        return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
