package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class AuthenticationFailureLogTests {

    private final AtomicLong now = new AtomicLong();
    private final AuthenticationFailureLog log = new AuthenticationFailureLog(Duration.ofMinutes(1), now::get);

    @Test
    void aFloodOfFailuresIsOneWarningPerSourceAndMinuteCountingTheRest() {
        WebhookSource demo = source("demo");
        WebhookSource cxone = source("cxone");
        assertThat(log.failed(demo, "bad signature")).isZero();
        for (int i = 0; i < 500; i++) {
            now.addAndGet(Duration.ofMillis(100).toNanos());
            assertThat(log.failed(demo, "bad signature")).isEqualTo(-1);
        }
        // another source has its own minute
        assertThat(log.failed(cxone, "bad signature")).isZero();
        now.addAndGet(Duration.ofSeconds(10).toNanos());
        assertThat(log.failed(demo, "bad signature")).isEqualTo(500);
        assertThat(log.failed(demo, "bad signature")).isEqualTo(-1);
        log.forget();
        assertThat(log.failed(demo, "bad signature")).isZero();
    }

    private static WebhookSource source(String name) {
        WebhookSourceProperties settings = new WebhookSourceProperties(PayloadFormat.STANDARD_WEBHOOKS,
                AuthScheme.STANDARD_WEBHOOKS, "whsec_x", null, Duration.ofMinutes(5), DataSize.ofKilobytes(256), null, "",
                SignatureEncoding.HEX, null, Channel.DIGITAL, List.of(), SourceKind.WEBHOOK, null);
        return new WebhookSource(name, settings, request -> { }, null, EventCriticality.of(List.of()));
    }
}
