package org.ccbridge.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.ccbridge.support.ApiClient;
import org.ccbridge.support.EmbeddedModeTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class SessionsApiTests extends EmbeddedModeTestSupport {

    private static final String DEV_KEY = DEV_API_KEY;

    @Autowired
    DataSource dataSource;

    private final String path = "/sessions/call-" + UUID.randomUUID();

    @Test
    void sessionIsCreatedReadReplacedByVersionAndDeleted() {
        HttpResponse<String> created = put(path, "{\"step\":1}", null, "eu-west");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("ETag")).hasValue("\"1\"");

        HttpResponse<String> read = api().send("GET", path, null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("{\"step\":1}");
        assertThat(read.headers().firstValue("ETag")).hasValue("\"1\"");
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(read.headers().firstValue("X-Ccbridge-Region")).hasValue("eu-west");

        assertThat(put(path, "{\"step\":2}", null, null).statusCode()).as("exists, no If-Match").isEqualTo(428);
        HttpResponse<String> replaced = put(path, "{\"step\":2}", "\"1\"", "us-east");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(replaced.headers().firstValue("ETag")).hasValue("\"2\"");
        assertThat(put(path, "{\"step\":3}", "\"1\"", null).statusCode()).as("stale version").isEqualTo(412);
        assertThat(api().send("GET", path, null).headers().firstValue("X-Ccbridge-Region")).hasValue("us-east");

        assertThat(send("DELETE", path, null, "\"1\"").statusCode()).isEqualTo(412);
        assertThat(send("DELETE", path, null, "\"2\"").statusCode()).isEqualTo(204);
        HttpResponse<String> gone = api().send("GET", path, null);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(gone.body()).contains("\"status\":404");
    }

    @Test
    void ofTwoConcurrentWritersOneWinsAndTheOtherGets412() throws Exception {
        put(path, "{\"step\":1}", null, null);
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "{\"writer\":" + i + "}";
                statuses.add(pool.submit(() -> {
                    start.await();
                    return put(path, body, "\"1\"", null).statusCode();
                }));
            }
            start.countDown();
            List<Integer> answers = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answers.add(status.get(30, TimeUnit.SECONDS));
            }
            assertThat(answers).containsOnlyOnce(200).containsOnly(200, 412);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void largeSessionIsStoredCompressedAndReadBackUnchanged() {
        String large = "{\"notes\":\"" + "agent wrote a long note. ".repeat(1500) + "\"}";

        assertThat(put(path, large, null, null).statusCode()).isEqualTo(201);

        assertThat(api().send("GET", path, null).body()).isEqualTo(large);
        Boolean compressed = new JdbcTemplate(dataSource).queryForObject(
                "SELECT compressed FROM ccbridge_sessions WHERE session_key = ?", Boolean.class,
                "dev:" + path.substring("/sessions/".length()));
        assertThat(compressed).isTrue();
    }

    @Test
    void sessionOverTheSizeLimitIs413AndNothingIsStored() {
        String tooLarge = "x".repeat(64 * 1024 + 1);

        HttpResponse<String> response = put(path, tooLarge, null, null);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"status\":413");
        assertThat(api().send("GET", path, null).statusCode()).isEqualTo(404);
    }

    @Test
    void sessionsBelongToTheClientThatWroteThem() {
        put(path, "{\"secret\":\"of dev\"}", null, null);

        ApiClient other = new ApiClient(port, OTHER_CLIENT_KEY);
        assertThat(other.send("GET", path, null).statusCode()).isEqualTo(404);
        assertThat(other.send("PUT", path, "{\"mine\":true}").statusCode()).as("its own session").isEqualTo(201);
        assertThat(api().send("GET", path, null).body()).isEqualTo("{\"secret\":\"of dev\"}");
    }

    @Test
    void formEncodedBodyIsStoredAsSent() {
        HttpRequest formPut = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + DEV_KEY)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("step=2&queue=billing")).build();
        assertThat(exchange(formPut).statusCode()).isEqualTo(201);

        HttpResponse<String> read = api().send("GET", path, null);
        assertThat(read.body()).isEqualTo("step=2&queue=billing");
        assertThat(read.headers().firstValue("Content-Type")).hasValue("application/x-www-form-urlencoded");
    }

    @Test
    void sessionExpiresAfterItsTtl() throws InterruptedException {
        assertThat(put(path + "?ttlSeconds=1", "{}", null, null).statusCode()).isEqualTo(201);
        Thread.sleep(1_500);

        assertThat(api().send("GET", path, null).statusCode()).isEqualTo(404);
    }

    @Test
    void invalidRequestsAre400And401WithoutAKey() {
        put(path, "{}", null, null);
        assertThat(put(path, "{}", "version-one", null).statusCode()).isEqualTo(400);
        assertThat(put(path + "?ttlSeconds=0", "{}", null, null).statusCode()).isEqualTo(400);
        assertThat(put(path, "{}", null, "not a region").statusCode()).isEqualTo(400);
        HttpRequest badType = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + DEV_KEY).header("If-Match", "\"1\"")
                .header("Content-Type", "not a media type").PUT(HttpRequest.BodyPublishers.ofString("{}")).build();
        assertThat(exchange(badType).statusCode()).isEqualTo(400);
        assertThat(api().send("GET", path, null, null).statusCode()).isEqualTo(401);
    }

    private ApiClient api() {
        return new ApiClient(port, DEV_KEY);
    }

    private HttpResponse<String> put(String target, String json, String ifMatch, String region) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .header("Authorization", "Bearer " + DEV_KEY)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json));
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        if (region != null) {
            request.header("X-Ccbridge-Region", region);
        }
        return exchange(request.build());
    }

    private HttpResponse<String> send(String method, String target, String json, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target))
                .header("Authorization", "Bearer " + DEV_KEY)
                .header("If-Match", ifMatch)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return exchange(request.build());
    }

    private static HttpResponse<String> exchange(HttpRequest request) {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
