package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HmacHeaderAuthenticatorTests {

    private static final byte[] BODY = "{\"id\":\"e-1\",\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void hexSignatureWithPrefixVerifies() {
        var authenticator = new HmacHeaderAuthenticator(List.of("s3cret"), "X-Hub-Signature-256", "sha256=",
                SignatureEncoding.HEX, null, Duration.ofMinutes(5));
        String signature = "sha256=" + HexFormat.of().formatHex(HmacSha256.sign(bytes("s3cret"), BODY));
        assertThatCode(() -> authenticator.authenticate(request(Map.of("X-Hub-Signature-256", signature), BODY)))
                .doesNotThrowAnyException();
    }

    @Test
    void upperCaseHexAndPrefixVerify() {
        var authenticator = new HmacHeaderAuthenticator(List.of("s3cret"), "X-Signature", "sha256=",
                SignatureEncoding.HEX, null, Duration.ofMinutes(5));
        String signature = "SHA256=" + HexFormat.of().withUpperCase().formatHex(HmacSha256.sign(bytes("s3cret"), BODY));
        assertThatCode(() -> authenticator.authenticate(request(Map.of("X-Signature", signature), BODY)))
                .doesNotThrowAnyException();
    }

    @Test
    void base64SignatureVerifiesAndTamperedBodyDoesNot() {
        var authenticator = new HmacHeaderAuthenticator(List.of("s3cret"), "X-Signature", "",
                SignatureEncoding.BASE64, null, Duration.ofMinutes(5));
        String signature = Base64.getEncoder().encodeToString(HmacSha256.sign(bytes("s3cret"), BODY));
        assertThatCode(() -> authenticator.authenticate(request(Map.of("X-Signature", signature), BODY)))
                .doesNotThrowAnyException();
        byte[] tampered = "{\"id\":\"e-1\",\"type\":\"y\"}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> authenticator.authenticate(request(Map.of("X-Signature", signature), tampered)))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void previousSecretVerifiesDuringRotation() {
        var authenticator = new HmacHeaderAuthenticator(List.of("new-secret", "old-secret"), "X-Signature", "",
                SignatureEncoding.HEX, null, Duration.ofMinutes(5));
        String signedWithOld = HexFormat.of().formatHex(HmacSha256.sign(bytes("old-secret"), BODY));
        assertThatCode(() -> authenticator.authenticate(request(Map.of("X-Signature", signedWithOld), BODY)))
                .doesNotThrowAnyException();
    }

    @Test
    void timestampIsSignedAndChecked() {
        var authenticator = new HmacHeaderAuthenticator(List.of("s3cret"), "X-Signature", "",
                SignatureEncoding.HEX, "X-Timestamp", Duration.ofMinutes(5));
        String ts = Long.toString(NOW.getEpochSecond());
        String signature = HexFormat.of().formatHex(HmacSha256.sign(bytes("s3cret"), bytes(ts), bytes("."), BODY));
        assertThatCode(() -> authenticator.authenticate(request(Map.of("X-Signature", signature, "X-Timestamp", ts), BODY)))
                .doesNotThrowAnyException();

        String replayedTs = Long.toString(NOW.getEpochSecond() - 1);
        assertThatThrownBy(() -> authenticator.authenticate(
                request(Map.of("X-Signature", signature, "X-Timestamp", replayedTs), BODY)))
                .isInstanceOf(AuthenticationFailedException.class).hasMessage("no signature matches");

        String stale = Long.toString(NOW.getEpochSecond() - 600);
        String staleSignature = HexFormat.of().formatHex(HmacSha256.sign(bytes("s3cret"), bytes(stale), bytes("."), BODY));
        assertThatThrownBy(() -> authenticator.authenticate(
                request(Map.of("X-Signature", staleSignature, "X-Timestamp", stale), BODY)))
                .isInstanceOf(AuthenticationFailedException.class).hasMessageContaining("tolerance");
    }

    @Test
    void missingOrGarbledSignatureIsRejected() {
        var authenticator = new HmacHeaderAuthenticator(List.of("s3cret"), "X-Signature", "sha256=",
                SignatureEncoding.HEX, null, Duration.ofMinutes(5));
        assertThatThrownBy(() -> authenticator.authenticate(request(Map.of(), BODY)))
                .hasMessage("missing header X-Signature");
        assertThatThrownBy(() -> authenticator.authenticate(request(Map.of("X-Signature", "sha256=zz"), BODY)))
                .hasMessage("no signature matches");
        assertThatThrownBy(() -> authenticator.authenticate(request(Map.of("X-Signature", "md5=00"), BODY)))
                .hasMessageContaining("prefix");
    }

    @Test
    void sharedSecretMatchesOnlyTheExactValue() {
        var authenticator = new SharedSecretAuthenticator(List.of("let-me-in", "old-one"), "X-Genesys-Secret");
        assertThatCode(() -> authenticator.authenticate(request(Map.of("X-Genesys-Secret", "let-me-in"), BODY)))
                .doesNotThrowAnyException();
        assertThatCode(() -> authenticator.authenticate(request(Map.of("X-Genesys-Secret", "old-one"), BODY)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> authenticator.authenticate(request(Map.of("X-Genesys-Secret", "let-me-in "), BODY)))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> authenticator.authenticate(request(Map.of(), BODY)))
                .hasMessage("missing header X-Genesys-Secret");
    }

    private static WebhookRequest request(Map<String, String> headers, byte[] body) {
        return new WebhookRequest(headers::get, body, NOW);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
