package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.ccbridge.auth.CachedToken;
import org.ccbridge.auth.RefreshBackoff;
import org.ccbridge.auth.TokenStore;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link TokenStore} adapter must have; one subclass per backend. */
abstract class TokenStoreContractTests {

    protected abstract TokenStore store();

    private final String client = "genesys-" + UUID.randomUUID();
    private final Instant refreshAt = Instant.now().plusSeconds(3300);

    @Test
    void storedTokenReadsBackAndIsReplacedByTheNextOne() {
        assertThat(store().get(client)).isEmpty();

        store().put(client, new CachedToken("tok-1", refreshAt), Duration.ofMinutes(5));
        assertThat(store().get(client)).get().extracting(CachedToken::accessToken).isEqualTo("tok-1");
        assertThat(store().get(client).orElseThrow().refreshAt().toEpochMilli()).isEqualTo(refreshAt.toEpochMilli());

        store().put(client, new CachedToken("tok-2", refreshAt), Duration.ofMinutes(5));
        assertThat(store().get(client)).get().extracting(CachedToken::accessToken).isEqualTo("tok-2");
    }

    @Test
    void tokenIsGoneAfterItsTtl() throws InterruptedException {
        store().put(client, new CachedToken("tok-1", refreshAt), Duration.ofMillis(200));
        Thread.sleep(400);

        assertThat(store().get(client)).isEmpty();
    }

    @Test
    void invalidationRemovesOnlyTheTokenItNames() {
        store().put(client, new CachedToken("tok-2", refreshAt), Duration.ofMinutes(5));

        assertThat(store().invalidate(client, "tok-1")).as("an older token").isFalse();
        assertThat(store().get(client)).isPresent();
        assertThat(store().invalidate(client, "tok-2")).isTrue();
        assertThat(store().get(client)).isEmpty();
    }

    @Test
    void refreshBackoffReadsBackUntilClearedOrItsTtlEnds() throws InterruptedException {
        assertThat(store().refreshBackoff(client)).isEmpty();
        Instant retryAt = Instant.ofEpochMilli(Instant.now().plusSeconds(30).toEpochMilli());

        store().putRefreshBackoff(client, new RefreshBackoff(1, retryAt), Duration.ofMinutes(5));
        store().putRefreshBackoff(client, new RefreshBackoff(2, retryAt.plusSeconds(10)), Duration.ofMinutes(5));
        assertThat(store().refreshBackoff(client)).contains(new RefreshBackoff(2, retryAt.plusSeconds(10)));

        store().clearRefreshBackoff(client);
        assertThat(store().refreshBackoff(client)).isEmpty();

        store().putRefreshBackoff(client, new RefreshBackoff(3, retryAt), Duration.ofMillis(200));
        Thread.sleep(400);
        assertThat(store().refreshBackoff(client)).isEmpty();
    }
}
