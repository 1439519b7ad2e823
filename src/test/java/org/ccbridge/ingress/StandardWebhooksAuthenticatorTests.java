package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.ccbridge.support.StandardWebhooksSigner;
import org.junit.jupiter.api.Test;

class StandardWebhooksAuthenticatorTests {

    // The published Standard Webhooks test vector.
    private static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long VECTOR_TIMESTAMP = 1614265330L;
    private static final String VECTOR_BODY = "{\"test\": 2432232314}";
    private static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Instant VECTOR_TIME = Instant.ofEpochSecond(VECTOR_TIMESTAMP);

    private final StandardWebhooksAuthenticator authenticator =
            new StandardWebhooksAuthenticator(List.of(VECTOR_SECRET), Duration.ofMinutes(5));

    @Test
    void publishedTestVectorVerifies() {
        assertThatCode(() -> authenticator.authenticate(vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE, VECTOR_TIME)))
                .doesNotThrowAnyException();
    }

    @Test
    void tamperedBodyIsRejected() {
        assertThatThrownBy(() -> authenticator.authenticate(
                vectorRequest("{\"test\": 2432232315}", VECTOR_SIGNATURE, VECTOR_TIME)))
                .isInstanceOf(AuthenticationFailedException.class).hasMessage("no signature matches");
    }

    @Test
    void wrongSecretIsRejected() {
        var other = new StandardWebhooksAuthenticator(List.of(StandardWebhooksSigner.DEMO_SECRET), Duration.ofMinutes(5));
        assertThatThrownBy(() -> other.authenticate(vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE, VECTOR_TIME)))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void staleTimestampIsRejected() {
        Instant sixMinutesLater = VECTOR_TIME.plusSeconds(6 * 60);
        assertThatThrownBy(() -> authenticator.authenticate(vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE, sixMinutesLater)))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("tolerance");
    }

    @Test
    void futureTimestampIsRejected() {
        Instant sixMinutesEarlier = VECTOR_TIME.minusSeconds(6 * 60);
        assertThatThrownBy(() -> authenticator.authenticate(vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE, sixMinutesEarlier)))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("tolerance");
    }

    @Test
    void timestampWithinToleranceVerifies() {
        Instant fourMinutesLater = VECTOR_TIME.plusSeconds(4 * 60);
        assertThatCode(() -> authenticator.authenticate(vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE, fourMinutesLater)))
                .doesNotThrowAnyException();
    }

    @Test
    void previousSecretStillVerifiesDuringRotation() {
        var rotating = new StandardWebhooksAuthenticator(List.of(StandardWebhooksSigner.DEMO_SECRET, VECTOR_SECRET),
                Duration.ofMinutes(5));
        assertThatCode(() -> rotating.authenticate(vectorRequest(VECTOR_BODY, VECTOR_SIGNATURE, VECTOR_TIME)))
                .doesNotThrowAnyException();
    }

    @Test
    void anyOfSeveralSignaturesMayMatch() {
        String signatures = "v1,bm90LXRoZS1yaWdodC1zaWduYXR1cmU= " + VECTOR_SIGNATURE;
        assertThatCode(() -> authenticator.authenticate(vectorRequest(VECTOR_BODY, signatures, VECTOR_TIME)))
                .doesNotThrowAnyException();
    }

    @Test
    void unknownSignatureVersionIsIgnored() {
        String v2 = VECTOR_SIGNATURE.replace("v1,", "v2,");
        assertThatThrownBy(() -> authenticator.authenticate(vectorRequest(VECTOR_BODY, v2, VECTOR_TIME)))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void missingHeadersAreRejectedByName() {
        for (String header : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            Map<String, String> headers = new java.util.HashMap<>(vectorHeaders(VECTOR_SIGNATURE));
            headers.remove(header);
            var request = new WebhookRequest(headers::get, VECTOR_BODY.getBytes(StandardCharsets.UTF_8), VECTOR_TIME);
            assertThatThrownBy(() -> authenticator.authenticate(request))
                    .isInstanceOf(AuthenticationFailedException.class).hasMessage("missing header " + header);
        }
    }

    @Test
    void malformedSecretFailsAtConfiguration() {
        assertThatThrownBy(() -> new StandardWebhooksAuthenticator(List.of("whsec_not base64!"), Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("not base64!");
    }

    @Test
    void anEmptyOrShortSecretFailsAtConfigurationNotAtTheFirstDelivery() {
        for (String secret : new String[] {"whsec_", "whsec_c2hvcnQ=", ""}) {
            assertThatThrownBy(() -> new StandardWebhooksAuthenticator(List.of(secret), Duration.ofMinutes(5)))
                    .as(secret).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 16 bytes");
        }
    }

    private static WebhookRequest vectorRequest(String body, String signature, Instant now) {
        return new WebhookRequest(vectorHeaders(signature)::get, body.getBytes(StandardCharsets.UTF_8), now);
    }

    private static Map<String, String> vectorHeaders(String signature) {
        return Map.of("webhook-id", VECTOR_ID, "webhook-timestamp", Long.toString(VECTOR_TIMESTAMP),
                "webhook-signature", signature);
    }
}
