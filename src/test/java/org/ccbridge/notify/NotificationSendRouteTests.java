package org.ccbridge.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.ccbridge.coordination.RateLimits;
import org.ccbridge.notify.OutboxOutcomes.Outcome;
import org.ccbridge.support.FakeNotificationProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The routes {@code notify-send} and {@code notify-provider-<name>} as shipped, driven with one
 * attempt at a time against WireMock providers: which provider is asked, and how each provider's
 * circuit breaker counts what came of the call.
 */
class NotificationSendRouteTests {

    private final FakeNotificationProvider primaryFake = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
    private final FakeNotificationProvider secondaryFake = FakeNotificationProvider.keyedByHeader("Idempotency-Key");
    private final List<AutoCloseable> open = new ArrayList<>(List.of(primaryFake, secondaryFake));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @Test
    void refusedMessagesLeaveTheCircuitClosedAndProviderFaultsOpenIt() throws Exception {
        HttpNotificationProvider primary = provider("primary", primaryFake);
        OutboxRelay.AttemptSender send = routes(new ChannelRoute(List.of(primary), true));

        primaryFake.fail(400); // the message is refused: the provider is up
        for (int i = 0; i < 3; i++) {
            Outcome refused = send.send(attempt(primary, new Ledger()));
            assertThat(refused.detail()).contains("answered 400");
        }
        assertThat(primary.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        // counted, as calls the provider answered: the window of two is full, without a failure
        assertThat(primary.circuitBreaker().getMetrics().getNumberOfBufferedCalls()).isEqualTo(2);
        assertThat(primary.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();

        primaryFake.fail(503);
        send.send(attempt(primary, new Ledger()));
        send.send(attempt(primary, new Ledger()));
        assertThat(primary.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        // open: the route's circuitBreaker step lets no call go, and none is recorded in flight
        Ledger ledger = new Ledger();
        NotificationMessage message = message();
        Outcome notCalled = send.send(new SendAttempt(message, 0, new ChannelRoute(List.of(primary), true), List.of(),
                ledger));
        assertThat(notCalled.detail()).isEqualTo("circuit of provider primary is open");
        assertThat(ledger.events).isEmpty();
        assertThat(primaryFake.requestsFor(List.of(message.id()))).isEmpty();
    }

    @Test
    void theSecondaryGetsTheSameKeyOnceThePrimarysFailedCallIsOnRecord() throws Exception {
        HttpNotificationProvider primary = provider("primary", primaryFake);
        HttpNotificationProvider secondary = provider("secondary", secondaryFake);
        OutboxRelay.AttemptSender send = routes(new ChannelRoute(List.of(primary, secondary), true));
        primaryFake.fail(503);

        Ledger ledger = new Ledger();
        NotificationMessage message = message();
        Outcome sent = send.send(new SendAttempt(message, 0, new ChannelRoute(List.of(primary, secondary), true),
                List.of(), ledger));

        assertThat(sent.kind()).isEqualTo(OutboxOutcomes.Kind.SENT);
        assertThat(ledger.events).containsExactly("begin primary", "finish 1 FAILED", "begin secondary");
        assertThat(sent.calls()).extracting(NotificationLedger.Finish::outcome).containsExactly(DeliveryOutcome.ACCEPTED);
        assertThat(secondaryFake.requestsFor(List.of(message.id()))).extracting(secondaryFake::keyOf)
                .containsExactly(message.id());
    }

    @Test
    void aRowWhoseLeaseRanOutIsNotSentAndItsCallIsNotCounted() throws Exception {
        HttpNotificationProvider primary = provider("primary", primaryFake);
        OutboxRelay.AttemptSender send = routes(new ChannelRoute(List.of(primary), true));
        Ledger leaseLost = new Ledger();
        leaseLost.leaseLost = true;
        NotificationMessage message = message();

        Outcome outcome = send.send(new SendAttempt(message, 0, new ChannelRoute(List.of(primary), true), List.of(),
                leaseLost));

        assertThat(outcome).isNull(); // the relay that has the row now decides
        assertThat(primaryFake.requestsFor(List.of(message.id()))).isEmpty();
        assertThat(primary.circuitBreaker().getMetrics().getNumberOfBufferedCalls()).isZero();
    }

    private OutboxRelay.AttemptSender routes(ChannelRoute channel) {
        SendRoutes routes = new SendRoutes(Map.of("sms", channel));
        open.add(routes);
        return routes.sender();
    }

    private static SendAttempt attempt(HttpNotificationProvider provider, Ledger ledger) {
        return new SendAttempt(message(), 0, new ChannelRoute(List.of(provider), true), List.of(), ledger);
    }

    private static NotificationMessage message() {
        return new NotificationMessage(UUID.randomUUID().toString(), "sms", "+12025550143", null, "hello", "cust-1",
                "greeting", null);
    }

    /** A provider whose circuit opens after two failures of two calls. */
    private static HttpNotificationProvider provider(String name, FakeNotificationProvider fake) {
        Map<String, String> settings = new HashMap<>();
        settings.put("ccbridge.notify.providers." + name + ".url", fake.url());
        settings.put("ccbridge.notify.providers." + name + ".circuit-breaker.sliding-window", "2");
        settings.put("ccbridge.notify.providers." + name + ".circuit-breaker.minimum-calls", "2");
        NotifyProperties properties = new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate(
                "ccbridge.notify", NotifyProperties.class);
        return new HttpNotificationProvider(name, properties.providers().get(name), null, RateLimits.inMemory());
    }

    /** The relay's side of an attempt, as a record of what it was asked to write. */
    private static final class Ledger implements SendAttempt.Relay {

        private final List<String> events = new ArrayList<>();
        private boolean leaseLost;
        private long entries;

        @Override
        public long begin(NotificationMessage message, HttpNotificationProvider provider) {
            if (leaseLost) {
                return -1;
            }
            events.add("begin " + provider.name());
            return ++entries;
        }

        @Override
        public void finish(List<NotificationLedger.Finish> calls) {
            if (!calls.isEmpty()) {
                events.add("finish " + calls.size() + " " + calls.get(0).outcome());
            }
        }

        @Override
        public Outcome notTaken(SendAttempt attempt) {
            return Outcome.failed(attempt.message(), attempt.unfinishedCalls(), attempt.errors());
        }
    }
}
