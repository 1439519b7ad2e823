package org.ccbridge.auth;

import java.time.Clock;

import org.ccbridge.coordination.LockStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class OAuthConfiguration {

    @Bean
    OAuthTokenCache oauthTokenCache(OAuthClientProperties properties, TokenStore tokens, LockStore locks, Clock clock) {
        return new OAuthTokenCache(properties, tokens, locks, clock);
    }
}
