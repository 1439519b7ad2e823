package org.ccbridge.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class DevelopmentApiKeyGuardTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(GuardOnly.class);

    @Test
    void prodProfileRefusesThePublishedDevelopmentKey() {
        context.withPropertyValues("spring.profiles.active=prod",
                        "ccbridge.api.clients.flows.key-sha256=" + ApiKeyFilter.sha256Hex(DevelopmentApiKeyGuard.DEVELOPMENT_KEY))
                .run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .hasMessageContaining("API client 'flows' uses the published development key");
                });
    }

    @Test
    void prodProfileStartsWithKeysOfItsOwn() {
        context.withPropertyValues("spring.profiles.active=prod",
                        "ccbridge.api.clients.flows.key-sha256=" + ApiKeyFilter.sha256Hex("a-key-of-its-own"))
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ApiClientProperties.class)
    @Import(DevelopmentApiKeyGuard.class)
    static class GuardOnly {
    }
}
