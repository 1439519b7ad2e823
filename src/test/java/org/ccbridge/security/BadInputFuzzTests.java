package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.security.GeneralSecurityException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.RawHttp;
import org.ccbridge.support.StandardWebhooksSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Generated bad input to every endpoint, each authenticated so that the input reaches the code
 * behind the security layer: random bytes, truncated and deeply nested JSON, huge numbers, control
 * characters and over-long fields, in bodies and query values. None may get a 5xx or log an ERROR.
 */
@ExtendWith(OutputCaptureExtension.class)
class BadInputFuzzTests extends EmbeddedModeTestSupport {

    private static final long SEED = 20261129L;
    private static final String NOTIFICATION = "{\"channel\":\"sms\",\"recipient\":\"(202) 555-0143\",\"template\":\"t\","
            + "\"customerId\":\"c-1\",\"messageType\":\"m\"}";
    private static final String EVENT = "{\"type\":\"interaction.wrapup\",\"timestamp\":\"2026-11-24T10:00:00Z\","
            + "\"data\":{\"channel\":\"voice\",\"contactId\":\"c-1\",\"email\":\"a@example.com\"}}";

    private final Random random = new Random(SEED);

    /** One endpoint: how a body goes to it, authenticated. */
    private record Target(String method, String path, String sample, Function<String, Map<String, String>> headers) {
    }

    @Test
    void noGeneratedInputGetsA5xxOrAnErrorLogLine(CapturedOutput output) {
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (Target target : targets()) {
            for (String body : inputs(target.sample())) {
                RawHttp.Reply reply = RawHttp.send(port, target.method(), target.path(), target.headers().apply(body),
                        body);
                requests++;
                if (reply.status() >= 500) {
                    failures.add(target.method() + " " + target.path() + " -> " + reply.status() + " for "
                            + body.substring(0, Math.min(80, body.length())));
                }
            }
        }
        for (String query : queryValues()) {
            for (String path : new String[] {"/admin/dlq/replay?limit=", "/admin/notifications?status=",
                    "/admin/sync/records?status=RESOLVED&limit=", "/admin/sync/reviews?state="}) {
                String method = path.startsWith("/admin/dlq") ? "POST" : "GET";
                RawHttp.Reply reply = RawHttp.send(port, method, path + query, Map.of("X-Admin-Token", ADMIN_TOKEN), null);
                requests++;
                if (reply.status() >= 500) {
                    failures.add(method + " " + path + query + " -> " + reply.status());
                }
            }
        }
        assertThat(requests).isGreaterThan(300);
        assertThat(failures).isEmpty();
        assertThat(output.getAll().lines().filter(line -> line.contains(" ERROR ")).toList()).isEmpty();
    }

    private List<Target> targets() {
        Function<String, Map<String, String>> client = body -> Map.of("Authorization", "Bearer " + DEV_API_KEY,
                "Idempotency-Key", "fuzz-" + UUID.randomUUID());
        Function<String, Map<String, String>> admin = body -> Map.of("X-Admin-Token", ADMIN_TOKEN);
        return List.of(
                new Target("POST", "/webhooks/demo", EVENT, body -> signed(body)),
                new Target("POST", "/webhooks/genesys", "{\"id\":\"g-1\",\"type\":\"conversation.wrapup\","
                        + "\"createdTime\":1763978400000,\"data\":{\"mediaType\":\"voice\"}}",
                        body -> Map.of("X-Ccbridge-Secret", GENESYS_SECRET)),
                new Target("POST", "/webhooks/cxone", "{\"event\":{\"id\":\"x-1\",\"type\":\"contact.ended\"}}",
                        body -> Map.of("X-Signature", "sha256=" + hmacHex(CXONE_SECRET, body))),
                new Target("POST", "/locks/fuzz-" + UUID.randomUUID(), "{\"owner\":\"a\",\"ttlSeconds\":1}", client),
                new Target("PUT", "/locks/fuzz-" + UUID.randomUUID(), "{\"owner\":\"a\",\"ttlSeconds\":1}", client),
                new Target("PUT", "/sessions/fuzz-" + UUID.randomUUID(), "{\"step\":1}", client),
                new Target("POST", "/gateway/crm/contacts", "{\"name\":\"Ada\"}", client),
                new Target("POST", "/notifications", NOTIFICATION, client),
                new Target("POST", "/admin/sync/reviews/1/decision", "{\"take\":\"merged\",\"fields\":{}}", admin),
                new Target("POST", "/admin/notifications/" + UUID.randomUUID() + "/retry", "{}", admin));
    }

    private Map<String, String> signed(String body) {
        String id = "msg_fuzz_" + UUID.randomUUID();
        long timestamp = Instant.now().getEpochSecond();
        Map<String, String> headers = new HashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", StandardWebhooksSigner.sign(StandardWebhooksSigner.DEMO_SECRET, id, timestamp,
                body.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    private static String hmacHex(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Bad variations of a valid sample body. */
    private List<String> inputs(String sample) {
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] bytes = new byte[random.nextInt(2048)];
            random.nextBytes(bytes);
            inputs.add(new String(bytes, StandardCharsets.ISO_8859_1));
            inputs.add(sample.substring(0, random.nextInt(sample.length())));
        }
        inputs.add("[".repeat(5000) + "]".repeat(5000));
        inputs.add("{\"a\":".repeat(3000) + "1" + "}".repeat(3000));
        inputs.add(sample.replaceFirst("\\{", "{\"deep\":" + "[".repeat(2000) + "]".repeat(2000) + ","));
        for (String huge : new String[] {"1e999999", "-1e999999", "9".repeat(5000), "-" + "9".repeat(400),
                "0." + "0".repeat(5000) + "1", "NaN", "Infinity"}) {
            inputs.add(replaceValues(sample, huge));
        }
        inputs.add(replaceValues(sample, "\"\\u0000\\u0007\\n\\r\\u001b[31m\""));
        inputs.add(replaceValues(sample, "\"" + "x".repeat(300) + "\\nforged\""));
        inputs.add(replaceValues(sample, "\"" + "é".repeat(20_000) + "\""));
        inputs.add(replaceValues(sample, "null"));
        inputs.add(replaceValues(sample, "{}"));
        inputs.add(replaceValues(sample, "[]"));
        inputs.add("");
        inputs.add("null");
        inputs.add("\"just a string\"");
        inputs.add("\uFEFF" + sample);
        inputs.add(sample + sample);
        return inputs;
    }

    /** The sample with every string and number value replaced by {@code value}. */
    private static String replaceValues(String sample, String value) {
        return sample.replaceAll(":\\s*(\"[^\"]*\"|-?[0-9.]+)", ":" + value.replace("\\", "\\\\").replace("$", "\\$"));
    }

    private List<String> queryValues() {
        List<String> values = new ArrayList<>(List.of("-1", "0", "99999999999999999999", "1e9", "NaN", "%00",
                "%0d%0aX-Injected:%201", "", "%FF%FE", "OPEN%27%20OR%201=1"));
        values.add(URLEncoder.encode("x".repeat(5000), StandardCharsets.UTF_8));
        for (int i = 0; i < 5; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            values.add(URLEncoder.encode(new String(bytes, StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1));
        }
        return values;
    }
}
