package org.ccbridge.coordination;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.ccbridge.auth.OAuthTokenCache;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CoordinationConfiguration {

    // renewals are short store calls; one thread keeps up with many held locks
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService lockRenewals() {
        return Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ccbridge-lock-renewal");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    MutationGateway mutationGateway(IdempotencyStore store, OAuthTokenCache tokens, GatewayProperties properties,
                                    RateLimits rateLimits) {
        return new MutationGateway(store, tokens, properties, rateLimits);
    }

    @Bean
    FencedLocks fencedLocks(LockStore store, ScheduledExecutorService lockRenewals, Clock clock) {
        return new FencedLocks(store, lockRenewals, clock);
    }
}
