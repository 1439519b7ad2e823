package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

class DevelopmentSecretGuardTests {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(GuardOnly.class)
            .withPropertyValues("ccbridge.sources.demo.format=standard-webhooks",
                    "ccbridge.sources.demo.scheme=standard-webhooks");

    @Test
    void prodProfileRefusesThePublishedDevelopmentSecret() {
        context.withPropertyValues("spring.profiles.active=prod",
                        "ccbridge.sources.demo.secret=" + DevelopmentSecretGuard.DEVELOPMENT_SECRET)
                .run(started -> {
                    assertThat(started).hasFailed();
                    assertThat(started.getStartupFailure()).rootCause()
                            .hasMessageContaining("Source 'demo' uses the published development secret")
                            .hasMessageNotContaining(DevelopmentSecretGuard.DEVELOPMENT_SECRET);
                });
    }

    @Test
    void prodProfileRefusesItAsThePreviousSecretToo() {
        context.withPropertyValues("spring.profiles.active=prod", "ccbridge.sources.demo.secret=whsec_b3Ro",
                        "ccbridge.sources.demo.previous-secret=" + DevelopmentSecretGuard.DEVELOPMENT_SECRET)
                .run(started -> assertThat(started).hasFailed());
    }

    @Test
    void prodProfileRefusesItWithoutItsPrefixOrDecoded() {
        String base64 = DevelopmentSecretGuard.DEVELOPMENT_SECRET.substring("whsec_".length());
        String decoded = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        for (String spelling : new String[] {base64, decoded}) {
            context.withPropertyValues("spring.profiles.active=prod", "ccbridge.sources.demo.scheme=hmac-sha256",
                            "ccbridge.sources.demo.signature-header=X-Signature", "ccbridge.sources.demo.secret=" + spelling)
                    .run(started -> assertThat(started).as(spelling).hasFailed());
        }
    }

    @Test
    void prodProfileStartsWithASecretOfItsOwn() {
        context.withPropertyValues("spring.profiles.active=prod", "ccbridge.sources.demo.secret=whsec_b3duLXNlY3JldA==")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Test
    void embeddedDefaultAcceptsTheDevelopmentSecret() {
        context.withPropertyValues("ccbridge.sources.demo.secret=" + DevelopmentSecretGuard.DEVELOPMENT_SECRET)
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IngressProperties.class)
    @Import(DevelopmentSecretGuard.class)
    static class GuardOnly {
    }
}
