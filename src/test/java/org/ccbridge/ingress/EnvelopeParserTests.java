package org.ccbridge.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

class EnvelopeParserTests {

    private static final Instant RECEIVED = Instant.parse("2026-11-24T10:00:00Z");
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void genesysMessageIdStyle() {
        EventEnvelope envelope = parse(PayloadFormat.GENESYS, """
                {"messageId":"m-1","eventType":"conversation.call.ended","timestamp":"2026-11-24T11:00:00+02:00",
                 "data":{"conversationId":"conv-9"}}""", null);
        assertThat(envelope.eventId()).isEqualTo("m-1");
        assertThat(envelope.type()).isEqualTo("conversation.call.ended");
        assertThat(envelope.channel()).isEqualTo(Channel.VOICE);
        assertThat(envelope.occurredAt()).isEqualTo(Instant.parse("2026-11-24T09:00:00Z"));
        assertThat(envelope.recordKey()).isEqualTo("conv-9");
        assertThat(envelope.routingKey()).isEqualTo("genesys.voice.conversation.call.ended");
    }

    @Test
    void genesysIdTypeCreatedTimeStyleWithEpochMillis() {
        EventEnvelope envelope = parse(PayloadFormat.GENESYS, """
                {"id":"1234567890abcdef","type":"interaction.created","createdTime":1678886400000,
                 "data":{"mediaType":"chat","contactId":"c-7"}}""", null);
        assertThat(envelope.eventId()).isEqualTo("1234567890abcdef");
        assertThat(envelope.occurredAt()).isEqualTo(Instant.ofEpochMilli(1678886400000L));
        assertThat(envelope.channel()).isEqualTo(Channel.DIGITAL);
        assertThat(envelope.recordKey()).isEqualTo("c-7");
    }

    @Test
    void genesysNotificationEnvelopeGeneralisesTheTopic() {
        EventEnvelope envelope = parse(PayloadFormat.GENESYS, """
                {"topicName":"v2.detail.events.conversation.5c8ee4e4-2a3b-4c5d-8e9f-0123456789ab.customer.end",
                 "version":"2","eventBody":{"eventTime":1700000000000,"conversationId":"5c8ee4e4-2a3b-4c5d-8e9f-0123456789ab",
                 "mediaType":"VOICE"},"metadata":{"CorrelationId":"corr-42"}}""", null);
        assertThat(envelope.eventId()).as("one correlation id can notify several topics")
                .isEqualTo("corr-42@v2.detail.events.conversation.5c8ee4e4-2a3b-4c5d-8e9f-0123456789ab.customer.end");
        assertThat(envelope.type()).isEqualTo("v2.detail.events.conversation.id.customer.end");
        assertThat(envelope.channel()).isEqualTo(Channel.VOICE);
        assertThat(envelope.occurredAt()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        assertThat(envelope.recordKey()).isEqualTo("5c8ee4e4-2a3b-4c5d-8e9f-0123456789ab");
    }

    @Test
    void aCrmSourcesEventGoesToTheCrmLaneWhateverChannelItNames() {
        EventEnvelope envelope = new EnvelopeParser(PayloadFormat.STANDARD_WEBHOOKS, mapper).parse("salesforce", """
                {"type":"contact.updated","timestamp":"2026-11-29T10:00:00Z",
                 "data":{"channel":"voice","External_Id__c":"C-1","Email":"a@example.com"}}"""
                .getBytes(StandardCharsets.UTF_8), "evt-crm-1", Channel.CRM, RECEIVED);

        assertThat(envelope.channel()).isEqualTo(Channel.CRM);
        assertThat(envelope.routingKey()).isEqualTo("salesforce.crm.contact.updated");
    }

    @Test
    void niceCxoneEvent() {
        EventEnvelope envelope = parse(PayloadFormat.NICE_CXONE, """
                {"event":{"id":"nice-1","type":"contact.ended","createdAt":"2026-11-24T09:59:00Z",
                 "channel":"digital","contactId":"555"}}""", null);
        assertThat(envelope.eventId()).isEqualTo("nice-1");
        assertThat(envelope.type()).isEqualTo("contact.ended");
        assertThat(envelope.channel()).isEqualTo(Channel.DIGITAL);
        assertThat(envelope.recordKey()).isEqualTo("555");
    }

    @Test
    void standardWebhooksTakesTheIdFromTheHeader() {
        EventEnvelope envelope = parse(PayloadFormat.STANDARD_WEBHOOKS, """
                {"type":"interaction.wrapup","timestamp":"2026-11-24T09:00:00Z","data":{"channel":"voice"}}""",
                "msg_1");
        assertThat(envelope.eventId()).isEqualTo("msg_1");
        assertThat(envelope.channel()).isEqualTo(Channel.VOICE);
        assertThat(envelope.recordKey()).isNull();
    }

    @Test
    void channelFallsBackToTheSourceDefault() {
        EventEnvelope envelope = parse(PayloadFormat.STANDARD_WEBHOOKS, """
                {"type":"record.updated","data":{}}""", "msg_2");
        assertThat(envelope.channel()).isEqualTo(Channel.DIGITAL);
        assertThat(envelope.occurredAt()).isEqualTo(RECEIVED);
    }

    @Test
    void routingKeyIsMadeSafe() {
        EventEnvelope envelope = parse(PayloadFormat.STANDARD_WEBHOOKS, """
                {"type":"a b/c#*"}""", "msg_3");
        assertThat(envelope.type()).isEqualTo("a_b_c__");
    }

    @Test
    void payloadHashIsSha256OfTheRawBytes() {
        EventEnvelope envelope = parse(PayloadFormat.STANDARD_WEBHOOKS, "{\"type\":\"t\"}", "msg_4");
        // sha256sum of the same bytes
        assertThat(envelope.payloadHash()).isEqualTo("2241608e8271eac800d4d4ac804b3f39352a4a383bb9c7ba12629724bc9d60ab");
    }

    @Test
    void rejectsMissingIdMissingTypeMalformedJsonAndNonObjects() {
        assertThatThrownBy(() -> parse(PayloadFormat.GENESYS, "{\"type\":\"x\"}", null))
                .isInstanceOf(IngressRejectedException.class).hasMessage("missing event id");
        assertThatThrownBy(() -> parse(PayloadFormat.GENESYS, "{\"id\":\"x\"}", null))
                .hasMessage("missing event type");
        assertThatThrownBy(() -> parse(PayloadFormat.GENESYS, "{\"id\":", null))
                .hasMessage("body is not well-formed JSON");
        assertThatThrownBy(() -> parse(PayloadFormat.GENESYS, "[1,2]", null))
                .hasMessage("body must be a JSON object");
        assertThatThrownBy(() -> parse(PayloadFormat.NICE_CXONE, "{\"id\":\"x\"}", null))
                .hasMessage("missing event object");
        assertThatThrownBy(() -> parse(PayloadFormat.GENESYS, "{\"id\":\"x\",\"type\":\"t\",\"createdTime\":\"yesterday\"}", null))
                .hasMessage("createdTime is neither ISO-8601 nor epoch seconds or milliseconds");
        IngressRejectedException rejected = org.junit.jupiter.api.Assertions.assertThrows(IngressRejectedException.class,
                () -> parse(PayloadFormat.GENESYS, "{}", null));
        assertThat(rejected.status()).isEqualTo(400);
    }

    @Test
    void rejectsEventIdsTooLongForTheMessageIdOrWithControlCharacters() {
        String wrapup = "{\"type\":\"interaction.wrapup\"}";
        assertThat(parse(PayloadFormat.STANDARD_WEBHOOKS, wrapup, "m".repeat(EnvelopeParser.MAX_ID_BYTES)).eventId())
                .hasSize(EnvelopeParser.MAX_ID_BYTES);
        assertThatThrownBy(() -> parse(PayloadFormat.STANDARD_WEBHOOKS, wrapup, "m".repeat(251)))
                .isInstanceOf(IngressRejectedException.class).hasMessageContaining("webhook-id header")
                .hasMessageNotContaining("mmm");
        // multi-byte characters count as the bytes they take in the message id
        assertThatThrownBy(() -> parse(PayloadFormat.STANDARD_WEBHOOKS, wrapup, "é".repeat(100)))
                .hasMessageContaining("190 bytes");
        assertThatThrownBy(() -> parse(PayloadFormat.GENESYS, "{\"id\":\"a\\nforged log line\",\"type\":\"t\"}", null))
                .hasMessageContaining("(id)").hasMessageContaining("control characters");
        assertThatThrownBy(() -> parse(PayloadFormat.NICE_CXONE, "{\"event\":{\"id\":\"" + "9".repeat(300) + "\",\"type\":\"t\"}}",
                null)).hasMessageContaining("event.id");
    }

    @Test
    void rejectsTimestampsOutsideAnyPlausibleEventTimeNamingTheField() {
        for (String timestamp : new String[] {"-31557014167219201", "9223372036854775807", "-9223372036854775808",
                "99999999999999999999999", "\"+999999999-12-31T23:59:59Z\"", "\"1899-12-31T23:59:59Z\"", "0", "1.5e300",
                "true", "{}"}) {
            assertThatThrownBy(() -> parse(PayloadFormat.STANDARD_WEBHOOKS,
                    "{\"type\":\"interaction.wrapup\",\"timestamp\":" + timestamp + "}", "msg_1"))
                    .as(timestamp).isInstanceOf(IngressRejectedException.class).hasMessageStartingWith("timestamp ");
        }
        assertThatThrownBy(() -> parse(PayloadFormat.NICE_CXONE,
                "{\"event\":{\"id\":\"1\",\"type\":\"t\",\"createdAt\":\"2300-01-01T00:00:00Z\"}}", null))
                .hasMessageStartingWith("event.createdAt is out of range");
        // epoch seconds, epoch milliseconds and ISO-8601 in range still parse
        assertThat(parse(PayloadFormat.STANDARD_WEBHOOKS, "{\"type\":\"t\",\"timestamp\":1764000000}", "msg_2")
                .occurredAt()).isEqualTo(Instant.ofEpochSecond(1764000000L));
        assertThat(parse(PayloadFormat.STANDARD_WEBHOOKS, "{\"type\":\"t\",\"timestamp\":\"1764000000000\"}", "msg_3")
                .occurredAt()).isEqualTo(Instant.ofEpochMilli(1764000000000L));
    }

    private EventEnvelope parse(PayloadFormat format, String json, String webhookId) {
        String source = format == PayloadFormat.GENESYS ? "genesys" : "demo";
        return new EnvelopeParser(format, mapper).parse(source, json.getBytes(StandardCharsets.UTF_8), webhookId,
                Channel.DIGITAL, RECEIVED);
    }
}
