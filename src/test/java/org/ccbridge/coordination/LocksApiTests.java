package org.ccbridge.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ccbridge.support.ApiClient;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.ccbridge.support.WebhookClient;
import org.junit.jupiter.api.Test;

class LocksApiTests extends EmbeddedModeTestSupport {

    static final String DEV_KEY = DEV_API_KEY;
    private static final Pattern TOKEN = Pattern.compile("\"fencingToken\":(\\d+)");

    private final String resource = "contact-" + UUID.randomUUID();

    @Test
    void holderGets201WithATokenAndOthers409UntilItReleases() {
        HttpResponse<String> first = send("POST", "/locks/" + resource, "{\"owner\":\"flow-a\",\"ttlSeconds\":30}");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).contains("\"resource\":\"" + resource + "\"", "\"owner\":\"flow-a\"", "\"expiresAt\":");
        long firstToken = token(first);

        HttpResponse<String> other = send("POST", "/locks/" + resource, "{\"owner\":\"flow-b\"}");
        assertThat(other.statusCode()).isEqualTo(409);
        assertThat(other.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(other.headers().firstValue("Retry-After")).isPresent();

        HttpResponse<String> retry = send("POST", "/locks/" + resource, "{\"owner\":\"flow-a\"}");
        assertThat(retry.statusCode()).as("a retried request gets its own lease back").isEqualTo(201);
        assertThat(token(retry)).isEqualTo(firstToken);

        assertThat(send("DELETE", "/locks/" + resource + "?owner=flow-b", null).statusCode()).isEqualTo(409);
        assertThat(send("DELETE", "/locks/" + resource + "?owner=flow-a", null).statusCode()).isEqualTo(204);

        HttpResponse<String> next = send("POST", "/locks/" + resource, "{\"owner\":\"flow-b\"}");
        assertThat(next.statusCode()).isEqualTo(201);
        assertThat(token(next)).isGreaterThan(firstToken);
    }

    @Test
    void onlyTheHolderRenews() {
        send("POST", "/locks/" + resource, "{\"owner\":\"flow-a\",\"ttlSeconds\":30}");

        HttpResponse<String> renewed = send("PUT", "/locks/" + resource, "{\"owner\":\"flow-a\",\"ttlSeconds\":60}");
        assertThat(renewed.statusCode()).isEqualTo(200);
        assertThat(send("PUT", "/locks/" + resource, "{\"owner\":\"flow-b\"}").statusCode()).isEqualTo(409);
    }

    @Test
    void waitingAcquirerGetsTheLockWhenTheLeaseRunsOut() {
        long held = token(send("POST", "/locks/" + resource, "{\"owner\":\"flow-a\",\"ttlSeconds\":1}"));

        HttpResponse<String> waited = send("POST", "/locks/" + resource,
                "{\"owner\":\"flow-b\",\"ttlSeconds\":30,\"waitSeconds\":5}");

        assertThat(waited.statusCode()).isEqualTo(201);
        assertThat(token(waited)).isGreaterThan(held);
        assertThat(send("PUT", "/locks/" + resource, "{\"owner\":\"flow-a\"}").statusCode())
                .as("the stale holder cannot renew").isEqualTo(409);
    }

    @Test
    void invalidRequestsAre400() {
        assertThat(send("POST", "/locks/" + resource, "{\"ttlSeconds\":30}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/locks/" + resource, "{\"owner\":\"a\",\"ttlSeconds\":0}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/locks/" + resource, "{\"owner\":\"a\",\"waitSeconds\":31}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/locks/bad%20name", "{\"owner\":\"a\"}").statusCode()).isEqualTo(400);
        HttpResponse<String> malformed = send("POST", "/locks/" + resource, "{\"owner\":");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"status\":400");
        assertThat(send("DELETE", "/locks/" + resource, null).statusCode()).as("owner missing").isEqualTo(400);
    }

    @Test
    void callersWithoutAValidApiKeyGet401() {
        for (String authorization : new String[] {null, "Bearer wrong-key", DEV_KEY}) {
            HttpResponse<String> response = new ApiClient(port, DEV_KEY)
                    .send("POST", "/locks/" + resource, "{\"owner\":\"a\"}", authorization);
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ccbridge\"");
            assertThat(response.body()).contains("\"status\":401");
        }
        // a path Spring would match after decoding it or dropping ;parameters is refused before any rule
        ApiClient noKey = new ApiClient(port, DEV_KEY);
        for (String disguised : new String[] {"/locks;x/" + resource, "/%6cocks/" + resource}) {
            assertThat(noKey.send("POST", disguised, "{\"owner\":\"a\"}", null).statusCode())
                    .as(disguised).isEqualTo(400);
        }
        assertThat(noKey.send("POST", "/locks", "{\"owner\":\"a\"}", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/locks/" + resource, "{\"owner\":\"a\"}").statusCode()).isEqualTo(201);
    }

    @Test
    void requestsWaitingForAHeldLockCannotTakeTheThreadsWebhooksNeed() throws Exception {
        assertThat(send("POST", "/locks/" + resource, "{\"owner\":\"holder\",\"ttlSeconds\":30}").statusCode())
                .isEqualTo(201);
        ExecutorService callers = Executors.newFixedThreadPool(40);
        try {
            List<Future<Integer>> waits = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String body = "{\"owner\":\"waiter-" + i + "\",\"waitSeconds\":3}";
                waits.add(callers.submit(() -> send("POST", "/locks/" + resource, body).statusCode()));
            }
            // while they wait, a webhook delivery is answered
            assertThat(client.postDemo(WebhookClient.newEventId(), "{\"type\":\"interaction.wrapup\"}").statusCode())
                    .isEqualTo(200);
            Map<Integer, Long> statuses = new TreeMap<>();
            for (Future<Integer> wait : waits) {
                statuses.merge(wait.get(30, TimeUnit.SECONDS), 1L, Long::sum);
            }
            // at most 16 (ccbridge.locks.max-waiting-requests) waited and were told the lock stayed held
            assertThat(statuses.keySet()).containsOnly(409, 429);
            assertThat(statuses.getOrDefault(409, 0L)).isLessThanOrEqualTo(16);
            assertThat(statuses.get(429)).isGreaterThanOrEqualTo(24);
        } finally {
            callers.shutdownNow();
            send("DELETE", "/locks/" + resource + "?owner=holder", null);
        }
    }

    @Test
    void theLongestClientNameWithTheLongestResourceFitsTheStore() {
        String longest = "r".repeat(164) + UUID.randomUUID();
        HttpResponse<String> acquired = new ApiClient(port, LONG_NAME_CLIENT_KEY)
                .send("POST", "/locks/" + longest, "{\"owner\":\"a\"}");
        assertThat(acquired.statusCode()).isEqualTo(201);
        assertThat(new ApiClient(port, LONG_NAME_CLIENT_KEY).send("DELETE", "/locks/" + longest + "?owner=a", null)
                .statusCode()).isEqualTo(204);
    }

    @Test
    void locksBelongToTheCallingClientAndCcbridgesOwnAreOutOfReach() {
        assertThat(send("POST", "/locks/" + resource, "{\"owner\":\"flow-a\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> otherClient = new ApiClient(port, OTHER_CLIENT_KEY)
                .send("POST", "/locks/" + resource, "{\"owner\":\"flow-a\"}");
        assertThat(otherClient.statusCode()).as("its own lock of that name").isEqualTo(201);
        assertThat(new ApiClient(port, OTHER_CLIENT_KEY).send("DELETE", "/locks/" + resource + "?owner=flow-a", null)
                .statusCode()).isEqualTo(204);
        assertThat(send("PUT", "/locks/" + resource, "{\"owner\":\"flow-a\"}").statusCode())
                .as("the other client's release left this one's lock alone").isEqualTo(200);
        assertThat(send("POST", "/locks/%23oauth-token:genesys", "{\"owner\":\"a\"}").statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> send(String method, String path, String json) {
        return new ApiClient(port, DEV_KEY).send(method, path, json);
    }

    private static long token(HttpResponse<String> response) {
        Matcher matcher = TOKEN.matcher(response.body());
        assertThat(matcher.find()).as("fencing token in " + response.body()).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
