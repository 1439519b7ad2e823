package org.ccbridge.crm;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.coordination.RateLimits;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One guarded target per {@code ccbridge.crm.targets} entry. */
@Configuration(proxyBeanMethods = false)
class CrmConfiguration {

    @Bean
    CrmTargets crmTargets(CrmProperties properties, CamelContext camel, ProducerTemplate producer,
                          OAuthTokenCache tokens, RateLimits rateLimits, Clock clock) {
        Map<String, GuardedTarget> targets = new LinkedHashMap<>();
        properties.targets().forEach((name, settings) ->
                targets.put(name, CrmTargetFactory.create(name, settings, camel, producer, tokens, rateLimits, clock)));
        return new CrmTargets(targets);
    }
}
