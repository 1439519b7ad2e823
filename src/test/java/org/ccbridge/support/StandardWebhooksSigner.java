package org.ccbridge.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs test deliveries the way a Standard Webhooks sender does.
 */
public final class StandardWebhooksSigner {

    /** The development secret of the demo source, as published in the README. */
    public static final String DEMO_SECRET = "whsec_Y2NicmlkZ2UtZGV2ZWxvcG1lbnQtc2VjcmV0LTAx";

    private StandardWebhooksSigner() {
    }

    public static String sign(String secret, String id, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
