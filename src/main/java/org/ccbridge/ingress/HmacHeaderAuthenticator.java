package org.ccbridge.ingress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * HMAC-SHA256 of the raw body in a configurable header ({@code X-Hub-Signature-256: sha256=<hex>}
 * style). With a timestamp header the signed content is {@code timestamp.body}, so that the
 * timestamp cannot be replaced to replay an old delivery.
 */
final class HmacHeaderAuthenticator implements WebhookAuthenticator {

    private static final byte[] DOT = {'.'};

    private final List<byte[]> keys;
    private final String signatureHeader;
    private final String prefix;
    private final SignatureEncoding encoding;
    private final String timestampHeader;
    private final TimestampWindow window;

    HmacHeaderAuthenticator(List<String> secrets, String signatureHeader, String prefix,
                            SignatureEncoding encoding, String timestampHeader, Duration tolerance) {
        this.keys = secrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
        this.signatureHeader = signatureHeader;
        this.prefix = prefix == null ? "" : prefix;
        this.encoding = encoding;
        this.timestampHeader = timestampHeader;
        this.window = new TimestampWindow(tolerance);
    }

    @Override
    public void authenticate(WebhookRequest request) throws AuthenticationFailedException {
        String header = request.header(signatureHeader);
        if (header == null || header.isBlank()) {
            throw new AuthenticationFailedException("missing header " + signatureHeader);
        }
        String value = header.trim();
        if (!value.toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
            throw new AuthenticationFailedException("signature lacks the prefix " + prefix);
        }
        byte[] presented = decode(value.substring(prefix.length()));

        byte[][] signed = signedParts(request);
        for (byte[] key : keys) {
            if (HmacSha256.equal(HmacSha256.sign(key, signed), presented)) {
                return;
            }
        }
        throw new AuthenticationFailedException("no signature matches");
    }

    private byte[][] signedParts(WebhookRequest request) throws AuthenticationFailedException {
        if (timestampHeader == null || timestampHeader.isBlank()) {
            return new byte[][] {request.body()};
        }
        String timestamp = request.header(timestampHeader);
        if (timestamp == null || timestamp.isBlank()) {
            throw new AuthenticationFailedException("missing header " + timestampHeader);
        }
        window.check(timestamp, request.receivedAt());
        return new byte[][] {timestamp.trim().getBytes(StandardCharsets.UTF_8), DOT, request.body()};
    }

    private byte[] decode(String signature) {
        try {
            return encoding == SignatureEncoding.HEX
                    ? HexFormat.of().parseHex(signature.toLowerCase(Locale.ROOT))
                    : Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
