package org.ccbridge.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

class PendingConfirmsTests {

    private final PendingConfirms pending = new PendingConfirms();

    @Test
    void multipleAckConfirmsEveryPublishUpToItsSequence() {
        CompletableFuture<Void> first = pending.add(1, "a");
        CompletableFuture<Void> second = pending.add(2, "b");
        CompletableFuture<Void> third = pending.add(3, "c");

        pending.confirm(2, true);

        assertThat(first).isCompletedWithValue(null);
        assertThat(second).isCompletedWithValue(null);
        assertThat(third).isNotDone();
        assertThat(pending.size()).isEqualTo(1);
    }

    @Test
    void singleAckConfirmsOnlyItsOwnPublish() {
        CompletableFuture<Void> first = pending.add(1, "a");
        CompletableFuture<Void> second = pending.add(2, "b");

        pending.confirm(2, false);

        assertThat(first).isNotDone();
        assertThat(second).isCompletedWithValue(null);
    }

    @Test
    void nackFailsThePublish() {
        CompletableFuture<Void> refused = pending.add(1, "a");

        pending.nack(1, false);

        assertThatThrownBy(refused::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PublishFailedException.class).hasMessageContaining("refused");
    }

    @Test
    void returnedMessageFailsEvenThoughTheBrokerAcksIt() {
        CompletableFuture<Void> unroutable = pending.add(1, "demo:evt-1");
        CompletableFuture<Void> routed = pending.add(2, "demo:evt-2");

        pending.markReturned("demo:evt-1", "NO_ROUTE");
        pending.confirm(2, true);

        assertThatThrownBy(unroutable::get).hasCauseInstanceOf(PublishFailedException.class)
                .hasMessageContaining("NO_ROUTE");
        assertThat(routed).isCompletedWithValue(null);
    }

    @Test
    void closedChannelFailsEveryUnconfirmedPublish() {
        CompletableFuture<Void> first = pending.add(7, "a");
        CompletableFuture<Void> second = pending.add(8, "b");

        pending.failAll(new PublishFailedException("channel closed", null));

        assertThat(first).isCompletedExceptionally();
        assertThat(second).isCompletedExceptionally();
        assertThat(pending.size()).isZero();
    }
}
