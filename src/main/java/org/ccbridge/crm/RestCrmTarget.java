package org.ccbridge.crm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.ccbridge.auth.OAuthTokenCache;

/**
 * A REST CRM or platform API through camel-http, by the route rest-upsert ({@link TargetRoutes}):
 * one request per write to a URL template, with
 * the write's idempotency key and the record lock's fencing token in headers, and auth from the OAuth token cache or a static header.
 * A 401 drops the cached token and the request is sent once more with a fresh one.
 */
class RestCrmTarget implements CrmTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final CrmProperties.Target settings;
    private final String component;
    private final ProducerTemplate producer;
    private final OAuthTokenCache tokens;

    RestCrmTarget(String name, CrmProperties.Target settings, String httpComponent, ProducerTemplate producer,
                  OAuthTokenCache tokens) {
        this.name = name;
        this.settings = settings;
        this.producer = producer;
        this.tokens = tokens;
        this.component = httpComponent;
    }

    @Override
    public void upsert(TargetWrite write) {
        String url = settings.baseUrl() + settings.upsertPath()
                .replace("{object}", encode(write.object()))
                .replace("{recordKey}", encode(write.recordKey()));
        byte[] body = json(write.fields());
        Exchange answer;
        if (settings.oauthClient().isEmpty()) {
            answer = send(url, body, write, settings.authHeader(), settings.authValue());
        } else {
            answer = tokens.callWithToken(settings.oauthClient(),
                    (Function<String, Exchange>) token -> send(url, body, write, "Authorization", "Bearer " + token),
                    exchange -> status(exchange) == 401);
        }
        int status = status(answer);
        if (status >= 200 && status < 300) {
            return;
        }
        throw FailureClassifier.classify(name, status, answer.getMessage().getHeader("Retry-After", String.class),
                answer.getMessage().getBody(String.class), settings.limitWait());
    }

    private Exchange send(String url, byte[] body, TargetWrite write, String authHeader, String authValue) {
        Exchange answer = producer.request(TargetRoutes.REST_UPSERT, exchange -> {
            exchange.setProperty(TargetRoutes.COMPONENT_PROPERTY, component);
            exchange.getMessage().setBody(body);
            exchange.getMessage().setHeader(Exchange.HTTP_URI, url);
            exchange.getMessage().setHeader(Exchange.HTTP_METHOD, settings.method());
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setHeader("Accept", "application/json");
            if (!settings.idempotencyHeader().isEmpty()) {
                exchange.getMessage().setHeader(settings.idempotencyHeader(), write.idempotencyKey());
            }
            if (!settings.fencingHeader().isEmpty() && write.fencingToken() > 0) {
                exchange.getMessage().setHeader(settings.fencingHeader(), Long.toString(write.fencingToken()));
            }
            if (!authHeader.isEmpty()) {
                exchange.getMessage().setHeader(authHeader, authValue);
            }
        });
        if (answer.getException() != null) {
            throw new TargetUnavailableException("target " + name + " did not answer: "
                    + answer.getException().getClass().getSimpleName() + " " + answer.getException().getMessage(),
                    0, answer.getException());
        }
        return answer;
    }

    private static int status(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return status == null ? 0 : status;
    }

    private static byte[] json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("mapped values always serialize", e);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
