package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.ccbridge.support.HandledRequests;
import org.ccbridge.support.RawHttp;
import org.ccbridge.support.StandardWebhooksSigner;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Every spelling of a path that a decoder, a matcher or a container could read as another path,
 * applied to one endpoint of each guarded prefix, with no credential, a wrong one and the right
 * one. Each must be refused (400, 401 or 403) without reaching a handler.
 */
final class PathTrickTable {

    enum Credential { NONE, WRONG, RIGHT }

    /** One endpoint, and the headers that present each kind of credential to it. */
    record Endpoint(String method, String target, String body, Function<Credential, Map<String, String>> credentials) {

        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        String query() {
            int query = target.indexOf('?');
            return query < 0 ? "" : target.substring(query);
        }

        @Override
        public String toString() {
            return method + " " + target;
        }
    }

    /** A way to spell a path; {@code prefix} is the first segment ("/admin"), {@code rest} what follows ("/queues"). */
    record Variant(String name, Spelling spelling) {

        String spell(String path) {
            int second = path.indexOf('/', 1);
            return second < 0 ? spelling.spell(path, "") : spelling.spell(path.substring(0, second), path.substring(second));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    interface Spelling {
        String spell(String prefix, String rest);
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("path parameter on the prefix", (prefix, rest) -> prefix + ";x" + rest),
            new Variant("path parameter with a value", (prefix, rest) -> prefix + ";a=b" + rest),
            new Variant("path parameter on the last segment", (prefix, rest) -> prefix + rest + ";x"),
            new Variant("first letter percent-encoded", (prefix, rest) -> "/%" + hex(prefix.charAt(1), false)
                    + prefix.substring(2) + rest),
            new Variant("letter percent-encoded, upper-case hex", (prefix, rest) -> prefix.substring(0, 2) + "%"
                    + hex(prefix.charAt(2), true) + prefix.substring(3) + rest),
            new Variant("slash percent-encoded", (prefix, rest) -> prefix + "%2F" + afterSlash(rest)),
            new Variant("backslash percent-encoded", (prefix, rest) -> prefix + "%5C" + afterSlash(rest)),
            new Variant("dot segment", (prefix, rest) -> prefix + "/." + rest),
            new Variant("dot-dot segment", (prefix, rest) -> "/x/.." + prefix + rest),
            new Variant("dot-dot segment percent-encoded", (prefix, rest) -> "/x/%2e%2e" + prefix + rest),
            new Variant("leading double slash", (prefix, rest) -> "/" + prefix + rest),
            new Variant("inner double slash", (prefix, rest) -> prefix + "/" + rest),
            new Variant("upper-case prefix", (prefix, rest) -> prefix.toUpperCase(Locale.ROOT) + rest),
            new Variant("capitalized prefix", (prefix, rest) -> prefix.substring(0, 2).toUpperCase(Locale.ROOT)
                    + prefix.substring(2) + rest),
            new Variant("trailing slash", (prefix, rest) -> prefix + rest + "/"));

    static final String NOTIFICATION = "{\"channel\":\"sms\",\"recipient\":\"(202) 555-0143\",\"template\":\"reminder\","
            + "\"customerId\":\"cust-trick\",\"messageType\":\"trick\"}";
    static final String EVENT = "{\"type\":\"interaction.wrapup\",\"timestamp\":\"2026-11-24T10:00:00Z\","
            + "\"data\":{\"channel\":\"voice\",\"contactId\":\"c-trick\"}}";

    private PathTrickTable() {
    }

    /**
     * One endpoint per guarded prefix, the mutating ones above all.
     *
     * @param adminToken    the operate token
     * @param apiKey        an API client's key with every flow scope and the gateway target crm
     * @param webhookSecret the demo source's secret
     */
    static List<Endpoint> endpoints(String adminToken, String apiKey, String webhookSecret) {
        Function<Credential, Map<String, String>> admin = header("X-Admin-Token", adminToken);
        Function<Credential, Map<String, String>> client = header("Authorization", "Bearer " + apiKey);
        Function<Credential, Map<String, String>> keyedClient = credential -> {
            Map<String, String> headers = new HashMap<>(client.apply(credential));
            headers.put("Idempotency-Key", "trick-" + UUID.randomUUID());
            return headers;
        };
        return List.of(
                new Endpoint("GET", "/admin/queues", null, admin),
                new Endpoint("POST", "/admin/dlq/replay?limit=1", null, admin),
                new Endpoint("GET", "/admin/sync/reviews?state=OPEN", null, admin),
                new Endpoint("GET", "/admin/notifications?status=FAILED", null, admin),
                new Endpoint("POST", "/locks/trick-lock", "{\"owner\":\"trick\",\"ttlSeconds\":1}", client),
                new Endpoint("PUT", "/sessions/trick-session", "{\"step\":1}", client),
                new Endpoint("POST", "/gateway/crm/api/contacts", "{}", keyedClient),
                new Endpoint("POST", "/notifications", NOTIFICATION, keyedClient),
                new Endpoint("POST", "/webhooks/demo", EVENT, signed(webhookSecret)),
                new Endpoint("GET", "/actuator/metrics", null, admin));
    }

    static Stream<Arguments> cases(List<Endpoint> endpoints) {
        return endpoints.stream().flatMap(endpoint -> VARIANTS.stream().flatMap(variant ->
                Stream.of(Credential.values()).map(credential -> Arguments.of(endpoint, variant, credential))));
    }

    /** The variant is refused with a problem+json 400, 401 or 403 and reaches no handler. */
    static void assertRefused(int port, HandledRequests handled, Endpoint endpoint, Variant variant,
                              Credential credential) {
        String path = variant.spell(endpoint.path());
        RawHttp.Reply reply = RawHttp.send(port, endpoint.method(), path + endpoint.query(),
                endpoint.credentials().apply(credential), endpoint.body());
        assertThat(reply.status()).as("%s %s with %s credential", endpoint.method(), path, credential)
                .isIn(400, 401, 403);
        assertThat(reply.text()).as("the refusal of %s", path).containsIgnoringCase("application/problem+json");
        assertThat(handled.reachedHandler(endpoint.method(), path)).as("%s reached a handler", path).isFalse();
    }

    /** The canonical path: with the right credential it reaches its handler, which shows the table can fail. */
    static RawHttp.Reply sendCanonical(int port, Endpoint endpoint, Credential credential) {
        return RawHttp.send(port, endpoint.method(), endpoint.target(), endpoint.credentials().apply(credential),
                endpoint.body());
    }

    private static Function<Credential, Map<String, String>> header(String name, String right) {
        return credential -> switch (credential) {
            case NONE -> Map.of();
            case WRONG -> Map.of(name, name.equals("Authorization") ? "Bearer not-a-key" : "not-the-token");
            case RIGHT -> Map.of(name, right);
        };
    }

    private static Function<Credential, Map<String, String>> signed(String secret) {
        return credential -> {
            if (credential == Credential.NONE) {
                return Map.of();
            }
            String id = "msg_trick_" + UUID.randomUUID();
            long timestamp = Instant.now().getEpochSecond();
            String signature = credential == Credential.RIGHT
                    ? StandardWebhooksSigner.sign(secret, id, timestamp, EVENT.getBytes(StandardCharsets.UTF_8))
                    : "v1,bm90LWEtc2lnbmF0dXJl";
            return Map.of("webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature",
                    signature);
        };
    }

    private static String afterSlash(String rest) {
        return rest.isEmpty() ? "" : rest.substring(1);
    }

    private static String hex(char c, boolean upperCase) {
        String hex = Integer.toHexString(c);
        return upperCase ? hex.toUpperCase(Locale.ROOT) : hex;
    }
}
