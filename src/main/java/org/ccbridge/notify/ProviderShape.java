package org.ccbridge.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The request a provider's API expects for one notification, and where it takes the idempotency
 * key (the outbox id). A shape builds the same bytes from the same message every time, in every
 * process (insertion-ordered maps only: {@code Map.of} with several entries iterates in an order
 * that changes from JVM to JVM), so that every retry, by any instance, sends an identical body.
 */
public enum ProviderShape {

    /** A plain JSON API: the message's fields, the key in an {@code Idempotency-Key} header. */
    JSON("Idempotency-Key") {
        @Override
        ProviderRequest request(NotificationMessage message, NotifyProperties.Provider settings) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", message.id());
            body.put("channel", message.channel());
            body.put("to", message.recipient());
            putContent(body, "template", "body", message);
            body.put("customerId", message.customerId());
            body.put("messageType", message.messageType());
            putIfPresent(body, "reference", message.businessReference());
            return ProviderRequest.json(body);
        }
    },

    /**
     * A Twilio-like messages API: a form with To, From and Body (or ContentSid for a template), the
     * key in {@code I-Twilio-Idempotency-Token}.
     */
    TWILIO("I-Twilio-Idempotency-Token") {
        @Override
        ProviderRequest request(NotificationMessage message, NotifyProperties.Provider settings) {
            Map<String, String> form = new LinkedHashMap<>();
            form.put("To", message.recipient());
            form.put("From", settings.from());
            if (message.template() != null) {
                form.put("ContentSid", message.template());
            } else {
                form.put("Body", message.body());
            }
            StringJoiner encoded = new StringJoiner("&");
            form.forEach((name, value) -> encoded.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)));
            return new ProviderRequest("application/x-www-form-urlencoded",
                    encoded.toString().getBytes(StandardCharsets.UTF_8));
        }
    },

    /**
     * A SendGrid-like mail API: personalizations, from, content or template_id, the customer and
     * message type in custom_args, and the key in {@code mail_settings.idempotency_key}.
     */
    SENDGRID(null) {
        @Override
        ProviderRequest request(NotificationMessage message, NotifyProperties.Provider settings) {
            Map<String, Object> personalization = new LinkedHashMap<>();
            personalization.put("to", List.of(Map.of("email", message.recipient())));
            if (message.template() == null) {
                personalization.put("subject", settings.subject());
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("personalizations", List.of(personalization));
            body.put("from", Map.of("email", settings.from()));
            if (message.template() != null) {
                body.put("template_id", message.template());
            } else {
                Map<String, Object> content = new LinkedHashMap<>(); // Map.of's order changes from JVM to JVM
                content.put("type", "text/plain");
                content.put("value", message.body());
                body.put("content", List.of(content));
            }
            Map<String, Object> customArgs = new LinkedHashMap<>();
            customArgs.put("notification_id", message.id());
            customArgs.put("customer_id", message.customerId());
            customArgs.put("message_type", message.messageType());
            body.put("custom_args", customArgs);
            body.put("mail_settings", Map.of("idempotency_key", message.id()));
            return ProviderRequest.json(body);
        }
    },

    /**
     * Genesys Cloud's agentless messaging: fromAddress, toAddress, toAddressMessengerType, textBody
     * or messagingTemplate, and the key in the body's {@code idempotencyKey}.
     */
    GENESYS(null) {
        @Override
        ProviderRequest request(NotificationMessage message, NotifyProperties.Provider settings) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("idempotencyKey", message.id());
            body.put("fromAddress", settings.from());
            body.put("toAddress", message.recipient());
            body.put("toAddressMessengerType", message.channel());
            if (message.template() != null) {
                body.put("messagingTemplate", Map.of("responseId", message.template()));
            } else {
                body.put("textBody", message.body());
            }
            return ProviderRequest.json(body);
        }
    },

    /**
     * NICE CXone's event API: an event of type {@code ccbridge.notification.<channel>} whose data a
     * journey sends, with the key in the body's {@code idempotencyKey}.
     */
    CXONE(null) {
        @Override
        ProviderRequest request(NotificationMessage message, NotifyProperties.Provider settings) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("customerId", message.customerId());
            data.put("messageType", message.messageType());
            data.put("to", message.recipient());
            putIfPresent(data, "from", settings.from().isEmpty() ? null : settings.from());
            putContent(data, "template", "body", message);
            putIfPresent(data, "reference", message.businessReference());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("eventType", "ccbridge.notification." + message.channel());
            body.put("idempotencyKey", message.id());
            body.put("data", data);
            return ProviderRequest.json(body);
        }
    };

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String defaultIdempotencyHeader;

    ProviderShape(String defaultIdempotencyHeader) {
        this.defaultIdempotencyHeader = defaultIdempotencyHeader;
    }

    abstract ProviderRequest request(NotificationMessage message, NotifyProperties.Provider settings);

    /** The header that carries the key: the configured one, else the shape's; null when it goes in the body. */
    String idempotencyHeader(NotifyProperties.Provider settings) {
        return settings.idempotencyHeader().isEmpty() ? defaultIdempotencyHeader : settings.idempotencyHeader();
    }

    private static void putContent(Map<String, Object> body, String templateField, String bodyField,
                                   NotificationMessage message) {
        if (message.template() != null) {
            body.put(templateField, message.template());
        } else {
            body.put(bodyField, message.body());
        }
    }

    private static void putIfPresent(Map<String, Object> body, String field, String value) {
        if (value != null) {
            body.put(field, value);
        }
    }

    /** The body of one provider call. */
    record ProviderRequest(String contentType, byte[] body) {

        static ProviderRequest json(Map<String, Object> body) {
            try {
                return new ProviderRequest("application/json", MAPPER.writeValueAsBytes(body));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("maps of strings always serialize", e);
            }
        }
    }
}
