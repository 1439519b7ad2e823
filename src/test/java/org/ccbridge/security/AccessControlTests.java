package org.ccbridge.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.HandledRequests;
import org.ccbridge.support.RawHttp;
import org.ccbridge.support.StandardWebhooksSigner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Who may call what, in the embedded default: scopes of API clients, the two admin roles, the
 * actuator, and webhooks left to their signatures.
 */
class AccessControlTests extends EmbeddedModeTestSupport {

    private static final String LOCK_BODY = "{\"owner\":\"access-test\",\"ttlSeconds\":1}";

    @Autowired
    private HandledRequests handled;

    @Test
    void aClientWithoutTheScopeGets403NamingIt() {
        RawHttp.Reply reply = send("POST", "/locks/scope-" + UUID.randomUUID(), bearer(NO_SCOPE_KEY), LOCK_BODY);
        assertThat(reply.status()).isEqualTo(403);
        assertThat(reply.text()).contains("application/problem+json").contains("the scope locks")
                .doesNotContain(NO_SCOPE_KEY);
        assertThat(send("PUT", "/sessions/s-1", bearer(NO_SCOPE_KEY), "{}").status()).isEqualTo(403);
        assertThat(send("GET", "/notifications/n-1", bearer(NO_SCOPE_KEY), null).status()).isEqualTo(403);
        // the same request with a scoped client goes through
        assertThat(send("POST", "/locks/scope-" + UUID.randomUUID(), bearer(DEV_API_KEY), LOCK_BODY).status())
                .isEqualTo(201);
    }

    @Test
    void gatewayScopesArePerTarget() {
        Map<String, String> headers = Map.of("Authorization", "Bearer " + OTHER_CLIENT_KEY,
                "Idempotency-Key", "scope-" + UUID.randomUUID());
        RawHttp.Reply flaky = RawHttp.send(port, "POST", "/gateway/flaky/x", headers, "{}");
        assertThat(flaky.status()).isEqualTo(403);
        assertThat(flaky.text()).contains("gateway:<target>");
        // other holds gateway:crm: past the security layer, the gateway itself answers
        assertThat(RawHttp.send(port, "POST", "/gateway/crm/contacts", headers, "{}").status()).isNotIn(401, 403);
        // the dev client holds gateway:*
        assertThat(RawHttp.send(port, "POST", "/gateway/flaky/x", Map.of("Authorization", "Bearer " + DEV_API_KEY,
                "Idempotency-Key", "scope-" + UUID.randomUUID()), "{}").status()).isNotIn(401, 403);
    }

    @Test
    void aClientKeyOpensNoAdminEndpointWithoutAnAdminScope() {
        assertThat(send("GET", "/admin/queues", bearer(DEV_API_KEY), null).status()).isEqualTo(403);
        assertThat(send("POST", "/admin/dlq/replay?limit=1", bearer(DEV_API_KEY), null).status()).isEqualTo(403);
    }

    @Test
    void theReadRoleListsButDoesNotAct() {
        assertThat(send("GET", "/admin/queues", bearer(ADMIN_READER_KEY), null).status()).isEqualTo(200);
        assertThat(send("GET", "/admin/notifications?status=FAILED", bearer(ADMIN_READER_KEY), null).status())
                .isEqualTo(200);
        RawHttp.Reply replay = send("POST", "/admin/dlq/replay?limit=1", bearer(ADMIN_READER_KEY), null);
        assertThat(replay.status()).isEqualTo(403);
        assertThat(replay.text()).contains("admin:operate");
        assertThat(send("POST", "/admin/notifications/n-1/retry", bearer(ADMIN_READER_KEY), null).status())
                .isEqualTo(403);
    }

    @Test
    void theConsoleIsAStaticPageAnyoneLoadsWhileItsDataNeedsTheAdminRoles() {
        RawHttp.Reply page = send("GET", "/console", Map.of(), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("Content-Security-Policy: default-src 'none'; script-src 'self'")
                .doesNotContain("ccbridge.voice.interactions");
        assertThat(send("GET", "/console/console.js", Map.of(), null).status()).isEqualTo(200);
        assertThat(send("GET", "/console/secrets.txt", Map.of(), null).status()).isEqualTo(404);
        assertThat(send("GET", "/console/../admin/queues", Map.of(), null).status()).isIn(400, 401);
        assertThat(send("GET", "/admin/dlq", Map.of(), null).status()).isEqualTo(401);
        assertThat(send("GET", "/admin/circuits", Map.of(), null).status()).isEqualTo(401);
        assertThat(send("GET", "/admin/events?eventId=e", Map.of(), null).status()).isEqualTo(401);
        assertThat(send("GET", "/admin/dlq", bearer(ADMIN_READER_KEY), null).status()).isEqualTo(200);
        assertThat(send("GET", "/admin/circuits", bearer(ADMIN_READER_KEY), null).status()).isEqualTo(200);
        assertThat(send("POST", "/admin/dlq/replay?messageId=demo:e", bearer(ADMIN_READER_KEY), null).status())
                .isEqualTo(403);
    }

    @Test
    void theOperateTokenListsAndActs() {
        Map<String, String> operator = Map.of("X-Admin-Token", ADMIN_TOKEN);
        assertThat(send("GET", "/admin/queues", operator, null).status()).isEqualTo(200);
        RawHttp.Reply replay = send("POST", "/admin/dlq/replay?limit=1", operator, null);
        assertThat(replay.status()).isEqualTo(200);
        assertThat(replay.text()).contains("\"replayed\"");
    }

    @Test
    void aWrongOrMissingCredentialIs401WithoutEchoingIt() {
        RawHttp.Reply wrongToken = send("GET", "/admin/queues", Map.of("X-Admin-Token", "guess-" + ADMIN_TOKEN), null);
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(wrongToken.text()).contains("application/problem+json").contains("X-Admin-Token")
                .doesNotContain("guess-");
        assertThat(send("GET", "/admin/queues", Map.of(), null).status()).isEqualTo(401);
        RawHttp.Reply wrongKey = send("POST", "/locks/x", bearer("not-a-key-of-anyone"), LOCK_BODY);
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.text()).contains("WWW-Authenticate: Bearer").doesNotContain("not-a-key-of-anyone");
        assertThat(send("POST", "/locks/x", Map.of(), LOCK_BODY).status()).isEqualTo(401);
        // an admin token is no API key, and an API key is no admin token
        assertThat(send("POST", "/locks/x", bearer(ADMIN_TOKEN), LOCK_BODY).status()).isEqualTo(401);
        assertThat(send("GET", "/admin/queues", Map.of("X-Admin-Token", DEV_API_KEY), null).status()).isEqualTo(401);
    }

    @Test
    void probesAndScrapersNeedNoCredentialAndNothingElseOnActuatorIsOpen() {
        assertThat(send("GET", "/actuator/health", Map.of(), null).status()).isEqualTo(200);
        assertThat(send("GET", "/actuator/health/liveness", Map.of(), null).status()).isEqualTo(200);
        assertThat(send("GET", "/actuator/prometheus", Map.of(), null).status()).isEqualTo(200);
        assertThat(send("GET", "/actuator/metrics", Map.of(), null).status()).isEqualTo(401);
        assertThat(send("GET", "/actuator/info", Map.of(), null).status()).isEqualTo(401);
        assertThat(send("GET", "/actuator/metrics", Map.of("X-Admin-Token", ADMIN_TOKEN), null).status())
                .isEqualTo(200);
        // not exposed, and no rule: refused even to an operator
        assertThat(send("GET", "/actuator/env", Map.of("X-Admin-Token", ADMIN_TOKEN), null).status()).isEqualTo(403);
        assertThat(send("POST", "/actuator/health", Map.of(), null).status()).isEqualTo(401);
    }

    @Test
    void webhooksAreLeftToTheirSignatureEvenWithAnAuthorizationHeader() {
        // a platform may send an Authorization header of its own; it is not an API key
        String id = "msg_auth_" + UUID.randomUUID();
        String body = "{\"type\":\"interaction.wrapup\",\"timestamp\":\"2026-11-24T10:00:00Z\",\"data\":{\"channel\":\"voice\"}}";
        long timestamp = Instant.now().getEpochSecond();
        String signature = StandardWebhooksSigner.sign(StandardWebhooksSigner.DEMO_SECRET, id, timestamp,
                body.getBytes(StandardCharsets.UTF_8));
        RawHttp.Reply reply = RawHttp.send(port, "POST", "/webhooks/demo", Map.of("Authorization", "Bearer platform-token",
                "webhook-id", id, "webhook-timestamp", Long.toString(timestamp), "webhook-signature", signature), body);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).contains("ACCEPTED");
        // unsigned: the route's own 401, not the security layer's
        assertThat(RawHttp.send(port, "POST", "/webhooks/demo", Map.of(), body).status()).isEqualTo(401);
        // anything else under /webhooks is refused
        assertThat(RawHttp.send(port, "POST", "/webhooks/demo/extra", Map.of(), body).status()).isEqualTo(403);
    }

    @Test
    void aCrossSitePostCannotTriggerAnAdminActionInTheEmbeddedDefault() {
        // what a page on another site can make a browser send: a form post with its cookies, and no
        // custom header (X-Admin-Token would need a CORS preflight, which ccbridge never grants)
        Map<String, String> crossSite = Map.of("Origin", "https://elsewhere.example",
                "Content-Type", "application/x-www-form-urlencoded", "Cookie", "JSESSIONID=abc");
        assertThat(send("POST", "/admin/dlq/replay?limit=1", crossSite, "limit=1").status()).isEqualTo(401);
        // a path no other test posts to, in this context that other classes share: it never got past security
        String decision = "/admin/sync/reviews/" + (1_000_000 + new Random().nextInt(1_000_000)) + "/decision";
        assertThat(send("POST", decision, crossSite, "take=incoming").status()).isEqualTo(401);
        assertThat(handled.reachedHandler("POST", decision)).isFalse();
        RawHttp.Reply preflight = send("OPTIONS", "/admin/dlq/replay", Map.of("Origin", "https://elsewhere.example",
                "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "x-admin-token"), null);
        assertThat(preflight.text()).doesNotContainIgnoringCase("Access-Control-Allow-Origin");
    }

    @Test
    void unmappedPathsAreRefusedNotFound() {
        assertThat(send("GET", "/", Map.of(), null).status()).isEqualTo(401);
        assertThat(send("GET", "/index.html", Map.of("X-Admin-Token", ADMIN_TOKEN), null).status()).isEqualTo(403);
        assertThat(send("GET", "/error", Map.of("X-Admin-Token", ADMIN_TOKEN), null).status()).isEqualTo(403);
    }

    private RawHttp.Reply send(String method, String path, Map<String, String> headers, String body) {
        return RawHttp.send(port, method, path, headers, body);
    }

    private static Map<String, String> bearer(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }
}
