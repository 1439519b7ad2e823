package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.ccbridge.coordination.SessionContent;
import org.ccbridge.coordination.SessionStore;
import org.ccbridge.coordination.StoredSession;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link SessionStore} adapter must have; one subclass per backend. */
abstract class SessionStoreContractTests {

    private static final Duration TTL = Duration.ofMinutes(5);

    protected abstract SessionStore store();

    private final String key = "client:session-" + UUID.randomUUID();

    @Test
    void createdSessionReadsBackAtVersionOne() {
        SessionContent content = content("{\"step\":1}", "eu-west");

        assertThat(store().create(key, content, TTL)).get().extracting(StoredSession::version).isEqualTo(1L);

        StoredSession read = store().get(key).orElseThrow();
        assertThat(read.version()).isEqualTo(1);
        assertThat(read.content().bytes()).isEqualTo(content.bytes());
        assertThat(read.content().contentType()).isEqualTo("application/json");
        assertThat(read.content().region()).isEqualTo("eu-west");
        assertThat(read.content().compressed()).isFalse();
    }

    @Test
    void existingSessionIsNotCreatedAgain() {
        store().create(key, content("{}", null), TTL);

        assertThat(store().create(key, content("{\"other\":true}", null), TTL)).isEmpty();
        assertThat(store().get(key).orElseThrow().content().region()).isNull();
    }

    @Test
    void replaceSucceedsOnlyAtTheCurrentVersion() {
        store().create(key, content("{\"step\":1}", null), TTL);

        assertThat(store().replace(key, 1, content("{\"step\":2}", "us-east"), TTL))
                .get().extracting(StoredSession::version).isEqualTo(2L);
        assertThat(store().replace(key, 1, content("{\"step\":3}", null), TTL)).as("stale version").isEmpty();
        assertThat(store().replace("client:absent-" + UUID.randomUUID(), 1, content("{}", null), TTL)).isEmpty();

        StoredSession read = store().get(key).orElseThrow();
        assertThat(read.version()).isEqualTo(2);
        assertThat(new String(read.content().bytes())).isEqualTo("{\"step\":2}");
        assertThat(read.content().region()).isEqualTo("us-east");
    }

    @Test
    void deleteHonoursTheExpectedVersion() {
        store().create(key, content("{}", null), TTL);

        assertThat(store().delete(key, 7L)).isFalse();
        assertThat(store().delete(key, 1L)).isTrue();
        assertThat(store().get(key)).isEmpty();
        assertThat(store().delete(key, null)).isFalse();
    }

    @Test
    void expiredSessionIsAbsentAndCanBeCreatedAgain() throws InterruptedException {
        store().create(key, content("{\"old\":true}", null), Duration.ofMillis(200));
        Thread.sleep(400);

        assertThat(store().get(key)).isEmpty();
        assertThat(store().replace(key, 1, content("{}", null), TTL)).isEmpty();
        assertThat(store().create(key, content("{\"new\":true}", null), TTL)).isPresent();
    }

    @Test
    void binaryContentSurvivesUnchanged() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < everyByte.length; i++) {
            everyByte[i] = (byte) i;
        }
        store().create(key, new SessionContent(everyByte, true, "application/octet-stream", null), TTL);

        SessionContent read = store().get(key).orElseThrow().content();
        assertThat(read.bytes()).isEqualTo(everyByte);
        assertThat(read.compressed()).isTrue();
    }

    @Test
    void ofConcurrentWritersAtOneVersionExactlyOneWins() throws Exception {
        store().create(key, content("{\"step\":1}", null), TTL);
        int writers = 20;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Optional<StoredSession>>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String body = "{\"writer\":" + i + "}";
                results.add(pool.submit(() -> {
                    start.await();
                    return store().replace(key, 1, content(body, null), TTL);
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<Optional<StoredSession>> result : results) {
                winners += result.get(30, TimeUnit.SECONDS).isPresent() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(store().get(key).orElseThrow().version()).isEqualTo(2);
    }

    private static SessionContent content(String json, String region) {
        return new SessionContent(json.getBytes(), false, "application/json", region);
    }
}
