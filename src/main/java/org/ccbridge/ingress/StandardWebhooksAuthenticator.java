package org.ccbridge.ingress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * Standard Webhooks: HMAC-SHA256 over {@code id.timestamp.body} with the base64 key of a
 * {@code whsec_} secret; the signature header is a space separated list of {@code v1,<base64>}
 * so that senders can sign with two secrets during a rotation.
 */
final class StandardWebhooksAuthenticator implements WebhookAuthenticator {

    static final String ID_HEADER = "webhook-id";
    static final String TIMESTAMP_HEADER = "webhook-timestamp";
    static final String SIGNATURE_HEADER = "webhook-signature";

    private static final String SECRET_PREFIX = "whsec_";
    private static final byte[] DOT = {'.'};

    private final List<byte[]> keys;
    private final TimestampWindow window;

    StandardWebhooksAuthenticator(List<String> secrets, Duration tolerance) {
        this.keys = secrets.stream().map(StandardWebhooksAuthenticator::decodeSecret).toList();
        this.window = new TimestampWindow(tolerance);
    }

    /** Shorter keys are refused at start: an empty one would fail every delivery with a 500 instead. */
    static final int MIN_KEY_BYTES = 16;

    static byte[] decodeSecret(String secret) {
        String encoded = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            key = new byte[0];
        }
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("A Standard Webhooks secret must be whsec_ followed by the base64 of at least "
                    + MIN_KEY_BYTES + " bytes");
        }
        return key;
    }

    @Override
    public void authenticate(WebhookRequest request) throws AuthenticationFailedException {
        String id = required(request, ID_HEADER);
        String timestamp = required(request, TIMESTAMP_HEADER);
        String signatures = required(request, SIGNATURE_HEADER);
        window.check(timestamp, request.receivedAt());

        byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
        byte[] timestampBytes = timestamp.getBytes(StandardCharsets.UTF_8);
        for (byte[] key : keys) {
            byte[] expected = HmacSha256.sign(key, idBytes, DOT, timestampBytes, DOT, request.body());
            for (String candidate : signatures.trim().split(" +")) {
                if (candidate.startsWith("v1,") && HmacSha256.equal(expected, decode(candidate.substring(3)))) {
                    return;
                }
            }
        }
        throw new AuthenticationFailedException("no signature matches");
    }

    private static byte[] decode(String base64) {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }

    private static String required(WebhookRequest request, String header) throws AuthenticationFailedException {
        String value = request.header(header);
        if (value == null || value.isBlank()) {
            throw new AuthenticationFailedException("missing header " + header);
        }
        return value;
    }
}
