package org.ccbridge.crm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;

/**
 * Salesforce through camel-salesforce: upsert by external id
 * ({@code PATCH /sobjects/{object}/{externalIdField}/{value}}). The component logs in with the
 * client-credentials flow on first use, and on a 401 INVALID_SESSION_ID logs in again and repeats
 * the request once (its {@code maxRetries} is 1); a second 401 is dead-lettered.
 */
class SalesforceCrmTarget implements CrmTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final CrmProperties.Target settings;
    private final String component;
    private final ProducerTemplate producer;

    SalesforceCrmTarget(String name, CrmProperties.Target settings, String component, ProducerTemplate producer) {
        this.name = name;
        this.settings = settings;
        this.component = component;
        this.producer = producer;
    }

    @Override
    public void upsert(TargetWrite write) {
        String uri = component + ":upsertSObject?sObjectName=" + write.object() + "&sObjectIdName="
                + settings.salesforce().externalIdField() + "&rawPayload=true";
        Exchange answer = producer.request(uri, exchange -> {
            // a Map body would be sent as its toString(); the JSON is written here
            exchange.getMessage().setBody(json(write.fields()));
            exchange.getMessage().setHeader("sObjectIdValue", write.recordKey());
        });
        Exception failure = answer.getException();
        if (failure == null) {
            return;
        }
        throw classify(failure);
    }

    private TargetCallException classify(Exception failure) {
        SalesforceException salesforce = find(failure, SalesforceException.class);
        if (salesforce == null || salesforce.getStatusCode() == 0) {
            boolean timedOut = find(failure, TimeoutException.class) != null;
            return new TargetUnavailableException("target " + name + (timedOut ? " did not answer within "
                    + settings.timeout().toMillis() + " ms" : " unreachable: " + failure.getMessage()), 0, failure);
        }
        // Salesforce sends no Retry-After, and camel-salesforce keeps only Sforce-* headers
        return FailureClassifier.classify(name, salesforce.getStatusCode(), null, errors(salesforce.getErrors()),
                settings.limitWait());
    }

    private static String errors(List<RestError> errors) {
        if (errors == null || errors.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (RestError error : errors) {
            text.append(text.isEmpty() ? "" : "; ").append(error.getErrorCode()).append(' ').append(error.getMessage());
        }
        return text.toString();
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    private static String json(Map<String, Object> fields) {
        try {
            return JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("mapped values always serialize", e);
        }
    }
}
