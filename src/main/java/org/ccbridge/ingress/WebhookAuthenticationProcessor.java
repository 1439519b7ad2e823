package org.ccbridge.ingress;

import java.time.Instant;
import java.util.Locale;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.stereotype.Component;

/**
 * First ingress step: resolves the source, enforces its size limit and content type, and
 * authenticates the raw body bytes. Nothing is stored for a delivery that fails here.
 */
@Component("webhookAuthenticationProcessor")
public class WebhookAuthenticationProcessor implements Processor {

    private final WebhookSources sources;
    private final AuthenticationFailureLog failures;

    WebhookAuthenticationProcessor(WebhookSources sources, AuthenticationFailureLog failures) {
        this.sources = sources;
        this.failures = failures;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        String name = exchange.getMessage().getHeader("source", String.class);
        WebhookSource source = sources.findWebhook(name).orElseThrow(() -> new IngressRejectedException(404,
                "Unknown source", "no webhook source is configured under this name", IngressOutcome.UNKNOWN_SOURCE));
        exchange.setProperty(IngressExchange.SOURCE, source);

        long limit = source.settings().maxBodySize().toBytes();
        Long declaredLength = exchange.getMessage().getHeader(Exchange.CONTENT_LENGTH, Long.class);
        if (declaredLength != null && declaredLength > limit) {
            throw tooLarge(limit);
        }
        requireJson(exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));

        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > limit) {
            throw tooLarge(limit);
        }
        exchange.getMessage().setBody(body);

        WebhookRequest request = new WebhookRequest(header -> IngressExchange.requestHeader(exchange, header), body,
                Instant.now());
        try {
            source.authenticator().authenticate(request);
        } catch (AuthenticationFailedException e) {
            failures.failed(source, e.getMessage());
            throw new IngressRejectedException(401, "Authentication failed",
                    "the delivery could not be authenticated: " + e.getMessage(), IngressOutcome.UNAUTHORIZED);
        }
    }

    private static void requireJson(String contentType) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new IngressRejectedException(415, "Unsupported media type",
                    "webhook bodies must be application/json", IngressOutcome.INVALID);
        }
    }

    private static IngressRejectedException tooLarge(long limit) {
        return new IngressRejectedException(413, "Payload too large",
                "the body exceeds this source's limit of " + limit + " bytes", IngressOutcome.INVALID);
    }
}
