package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.beans.factory.annotation.Autowired;

import org.ccbridge.broker.BrokerTopology;
import org.ccbridge.support.EmbeddedModeTestSupport;

/**
 * Events a route of your own hands to {@code direct:pulled-event}: accepted once like a webhook,
 * duplicates dropped, a bad one failing the call with nothing published, and no webhook taken
 * for such a source.
 */
class PulledIngressTests extends EmbeddedModeTestSupport {

    @Autowired
    ProducerTemplate producer;

    @Test
    void anEventIsPublishedOnceAndItsRepeatIsADuplicate() throws Exception {
        String id = "evt-" + UUID.randomUUID();

        assertThat(send("pulled-demo", cxoneEvent(id, "C-401"))).isEqualTo("ACCEPTED");
        assertThat(send("pulled-demo", cxoneEvent(id, "C-401"))).isEqualTo("DUPLICATE");

        List<Message> published = queues.drain(BrokerTopology.VOICE_QUEUE);
        assertThat(published).extracting(message -> message.getMessageProperties().getMessageId())
                .containsExactly("pulled-demo:" + id);
        assertThat(new String(published.get(0).getBody())).contains("C-401");
    }

    @Test
    void theSameIdWithAnotherPayloadIsRefusedAndTheCallerGoesOn() throws Exception {
        String id = "evt-" + UUID.randomUUID();
        assertThat(send("pulled-demo", cxoneEvent(id, "C-402"))).isEqualTo("ACCEPTED");

        assertThat(send("pulled-demo", cxoneEvent(id, "C-999"))).isEqualTo("REFUSED");

        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).hasSize(1);
    }

    @Test
    void anEventThatDoesNotParseFailsTheCallAndNothingIsPublished() throws Exception {
        assertThatThrownBy(() -> send("pulled-demo", "{\"event\":{\"type\":\"interaction.wrapup\"}}"))
                .isInstanceOf(IngressRejectedException.class).hasMessageContaining("event id");
        assertThatThrownBy(() -> send("cxone", cxoneEvent("evt-" + UUID.randomUUID(), "C-403")))
                .as("a webhook source takes no events from a route").hasMessageContaining("kind route");

        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).isEmpty();
    }

    @Test
    void aSourceOfKindRouteTakesNoWebhook() {
        var response = client.post("pulled-demo", cxoneEvent("evt-" + UUID.randomUUID(), "C-404").getBytes(),
                Map.of("Content-Type", "application/json"));

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(queues.drain(BrokerTopology.VOICE_QUEUE)).isEmpty();
    }

    /** What the calling route sees: the status header, or the exception the call failed with. */
    private String send(String source, String body) throws Exception {
        Exchange result = producer.request("direct:pulled-event", exchange -> {
            exchange.getMessage().setHeader(PulledEventSteps.SOURCE_HEADER, source);
            exchange.getMessage().setBody(body);
        });
        if (result.getException() != null) {
            throw result.getException();
        }
        return result.getMessage().getHeader(PulledEventSteps.STATUS_HEADER, String.class);
    }

    private static String cxoneEvent(String id, String contactId) {
        return "{\"event\":{\"id\":\"" + id + "\",\"type\":\"interaction.wrapup\",\"createdAt\":\"2026-12-07T10:00:00Z\","
                + "\"data\":{\"contactId\":\"" + contactId + "\",\"channel\":\"voice\"}}}";
    }
}
