package org.ccbridge.pull;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;


import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.beans.factory.annotation.Autowired;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;


import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.support.FakeGenesys;

/**
 * A {@code genesys-notifications} source against a fake Notification Service: events in order and
 * once, the channel's own messages not events, a dropped socket replaced by a new channel with its
 * topics subscribed again (a repeat across the reconnect dropped), a channel replaced before it
 * expires, on {@code socket_closing}, and when its socket falls silent; an event not accepted routed
 * again before the next, a message that is no event skipped and counted, and a 429 on the channel
 * creation waited out.
 */
class GenesysNotificationsTests extends PulledSourceTestSupport {

    private static final Duration WITHIN = Duration.ofSeconds(10);
    private static final String ROUTE = "genesys-notifications-" + GENESYS_CHANNEL_SOURCE;

    private String channel;

    @BeforeEach
    void anOpenChannel() {
        await().atMost(WITHIN).until(() -> FakeGenesys.channelsCreated() > 0
                && FakeGenesys.open(FakeGenesys.latestChannel()));
        channel = FakeGenesys.latestChannel();
        queues.purgeAll();
    }

    @AfterEach
    void genesysAsUsual() throws Exception {
        templatedRoutes.recreate(List.of("genesys-notifications")); // undoes a test's advice
        FakeGenesys.heartbeats(true);
        FakeGenesys.nextLifetime(Duration.ofHours(24));
    }

    @Test
    void eventsAreAcceptedInOrderAndTheChannelsOwnMessagesAreNot() throws Exception {
        List<String> ids = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(),
                UUID.randomUUID().toString());
        FakeGenesys.send(channel, FakeGenesys.HEARTBEAT);
        FakeGenesys.send(channel, "{\"topicName\":\"channel.metadata\",\"eventBody\":{\"message\":\"pong\"}}");
        for (String id : ids) {
            FakeGenesys.send(channel, FakeGenesys.event(GENESYS_TOPIC, id, "conv-" + id));
        }

        await().atMost(WITHIN).until(() -> queues.depth(BrokerTopology.VOICE_QUEUE) >= 3);
        List<Message> published = queues.drain(BrokerTopology.VOICE_QUEUE);
        assertThat(published).extracting(message -> message.getMessageProperties().getMessageId())
                .containsExactly(ids.stream().map(GenesysNotificationsTests::messageId).toArray(String[]::new));
        assertThat(published.get(0).getMessageProperties().<String>getHeader("ccbridge-type"))
                .isEqualTo("v2.routing.queues.id.conversations");
        FakeGenesys.API.verify(putRequestedFor(urlPathEqualTo(FakeGenesys.CHANNELS_PATH + "/" + channel + "/subscriptions"))
                .withRequestBody(equalToJson("[{\"id\":\"" + GENESYS_TOPIC + "\"}]")));
        assertThat(connected(GENESYS_CHANNEL_SOURCE))
                .isEqualTo(1.0);
    }

    @Test
    void aDroppedSocketGetsANewChannelAndARepeatAcrossTheReconnectIsDropped() throws Exception {
        double reconnects = counted("ccbridge.pull.reconnects", GENESYS_CHANNEL_SOURCE);
        String before = UUID.randomUUID().toString();
        FakeGenesys.send(channel, FakeGenesys.event(GENESYS_TOPIC, before, "conv-1"));
        await().atMost(WITHIN).until(() -> queues.depth(BrokerTopology.VOICE_QUEUE) >= 1);

        FakeGenesys.drop(channel);
        String next = awaitNewChannel(channel);

        FakeGenesys.API.verify(putRequestedFor(urlPathEqualTo(FakeGenesys.CHANNELS_PATH + "/" + next + "/subscriptions"))
                .withRequestBody(equalToJson("[{\"id\":\"" + GENESYS_TOPIC + "\"}]")));
        String after = UUID.randomUUID().toString();
        FakeGenesys.send(next, FakeGenesys.event(GENESYS_TOPIC, before, "conv-1"));
        FakeGenesys.send(next, FakeGenesys.event(GENESYS_TOPIC, after, "conv-2"));
        await().atMost(WITHIN).until(() -> queues.depth(BrokerTopology.VOICE_QUEUE) >= 2);
        Thread.sleep(300); // a repeat published by mistake would arrive within this
        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).extracting(m -> m.getMessageProperties().getMessageId())
                .containsExactly(messageId(before), messageId(after));
        assertThat(counted("ccbridge.pull.reconnects", GENESYS_CHANNEL_SOURCE) - reconnects).isEqualTo(1.0);
    }

    @Test
    void aChannelIsReplacedBeforeItExpires() throws Exception {
        // the next channel lives only two seconds longer than the renewal margin (pull.renew-before, 1 h)
        FakeGenesys.nextLifetime(Duration.ofHours(1).plusSeconds(2));
        FakeGenesys.drop(channel);
        String shortLived = awaitNewChannel(channel);
        FakeGenesys.nextLifetime(Duration.ofHours(24));

        String renewed = awaitNewChannel(shortLived);

        await().atMost(WITHIN).until(() -> FakeGenesys.closedByClient().contains(shortLived));
        assertThat(FakeGenesys.open(renewed)).isTrue();
    }

    @Test
    void socketClosingIsAnsweredWithANewChannelBeforeTheOldCloses() throws Exception {
        FakeGenesys.send(channel, "{\"topicName\":\"v2.system.socket_closing\",\"eventBody\":{\"message\":"
                + "\"Socket will close in approximately 1 minute\"}}");

        String next = awaitNewChannel(channel);

        await().atMost(WITHIN).until(() -> FakeGenesys.closedByClient().contains(channel));
        assertThat(FakeGenesys.open(next)).isTrue();
        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).as("socket_closing is no event").isEmpty();
    }

    @Test
    void aSilentSocketIsGivenUp() throws Exception {
        FakeGenesys.heartbeats(false);

        String next = awaitNewChannel(channel);
        FakeGenesys.heartbeats(true);

        // the client closes the silent socket once the new one is open; the close handshake takes a moment
        await().atMost(WITHIN).until(() -> FakeGenesys.closedByClient().contains(channel));
        assertThat(FakeGenesys.open(next)).isTrue();
    }

    @Test
    void anEventNotAcceptedIsRoutedAgainBeforeTheNextMessageIsRead() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        // the broker refuses the first attempt at the first event
        beforeAcceptance(ROUTE, exchange -> {
            if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("no publisher confirm within the timeout");
            }
        });
        String opened = awaitNewChannel(channel); // the advised route opened a channel of its own
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();

        FakeGenesys.send(opened, FakeGenesys.event(GENESYS_TOPIC, first, "conv-3"));
        FakeGenesys.send(opened, FakeGenesys.event(GENESYS_TOPIC, second, "conv-4"));

        await().atMost(WITHIN).until(() -> queues.depth(BrokerTopology.VOICE_QUEUE) >= 2);
        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).extracting(m -> m.getMessageProperties().getMessageId())
                .containsExactly(messageId(first), messageId(second));
        assertThat(attempts.get()).as("the first event twice, then the second").isEqualTo(3);
    }

    @Test
    void timeSpentAcceptingAnEventIsNotSilence() throws Exception {
        // accepting the first event takes longer than the silence timeout (3 s); the socket stays
        AtomicInteger accepted = new AtomicInteger();
        beforeAcceptance(ROUTE, exchange -> {
            if (accepted.incrementAndGet() == 1) {
                Thread.sleep(4_500);
            }
        });
        String opened = awaitNewChannel(channel);
        int channels = FakeGenesys.channelsCreated();
        FakeGenesys.heartbeats(false); // the heartbeats wait behind the slow event on a real socket

        FakeGenesys.send(opened, FakeGenesys.event(GENESYS_TOPIC, UUID.randomUUID().toString(), "conv-7"));
        await().atMost(WITHIN).until(() -> queues.depth(BrokerTopology.VOICE_QUEUE) >= 1);
        FakeGenesys.heartbeats(true);
        Thread.sleep(1_000);

        assertThat(FakeGenesys.channelsCreated()).as("no channel opened while the event was being accepted")
                .isEqualTo(channels);
        assertThat(FakeGenesys.open(opened)).isTrue();
    }

    @Test
    void aMessageThatIsNoEventIsCountedAndTheNextOneAccepted() throws Exception {
        double unusable = counted("ccbridge.pull.unusable", GENESYS_CHANNEL_SOURCE);
        String id = UUID.randomUUID().toString();

        FakeGenesys.send(channel, "{\"topicName\":\"" + GENESYS_TOPIC + "\",\"eventBody\":{\"id\":\"conv-5\"}}");
        FakeGenesys.send(channel, FakeGenesys.event(GENESYS_TOPIC, id, "conv-6"));

        await().atMost(WITHIN).until(() -> queues.depth(BrokerTopology.VOICE_QUEUE) >= 1);
        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).extracting(m -> m.getMessageProperties().getMessageId())
                .containsExactly(messageId(id));
        assertThat(counted("ccbridge.pull.unusable", GENESYS_CHANNEL_SOURCE) - unusable).as("the message without CorrelationId").isEqualTo(1.0);
    }

    @Test
    void aThrottledChannelCreationWaitsForRetryAfter() throws Exception {
        FakeGenesys.API.stubFor(post(urlPathEqualTo(FakeGenesys.CHANNELS_PATH)).atPriority(1).inScenario("throttled")
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("waited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"message\":\"Rate limit exceeded the maximum\",\"code\":\"too.many.requests\","
                                + "\"status\":429}")));
        try {
            FakeGenesys.drop(channel);
            String next = awaitNewChannel(channel);

            List<LoggedRequest> creations = FakeGenesys.API.findAll(postRequestedFor(urlPathEqualTo(
                    FakeGenesys.CHANNELS_PATH)));
            Duration waited = Duration.between(creations.get(creations.size() - 2).getLoggedDate().toInstant(),
                    creations.get(creations.size() - 1).getLoggedDate().toInstant());
            assertThat(waited).as("the channel after the 429 was asked for after its Retry-After")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
            assertThat(FakeGenesys.open(next)).isTrue();
        } finally {
            FakeGenesys.API.getStubMappings().stream().filter(stub -> "throttled".equals(stub.getScenarioName()))
                    .toList().forEach(FakeGenesys.API::removeStubMapping);
        }
    }

    /** The channel opened after {@code previous}, once its socket is open. */
    private static String awaitNewChannel(String previous) {
        await().atMost(WITHIN).until(() -> !FakeGenesys.latestChannel().equals(previous)
                && FakeGenesys.open(FakeGenesys.latestChannel()));
        return FakeGenesys.latestChannel();
    }

    /** The message id of a notification on the test topic: source, correlation id and topic. */
    private static String messageId(String correlationId) {
        return GENESYS_CHANNEL_SOURCE + ":" + correlationId + "@" + GENESYS_TOPIC;
    }
}
