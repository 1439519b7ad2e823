package org.ccbridge.crm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.api.dto.RestError;
import org.apache.camel.component.salesforce.api.dto.UpsertSObjectResult;

/**
 * Salesforce through camel-salesforce, by the routes salesforce-upsert and
 * salesforce-upsert-collection ({@link TargetRoutes}): upsert by external id
 * ({@code PATCH /sobjects/{object}/{externalIdField}/{value}}), or, with a batch size above 1,
 * concurrent upserts gathered into collection upserts ({@code PATCH
 * /composite/sobjects/{object}/{externalIdField}}, up to 200 records, allOrNone false) whose
 * per-record results go back to each caller. The component logs in with the client-credentials
 * flow on first use, and on a 401 INVALID_SESSION_ID logs in again and repeats the request once
 * (its {@code maxRetries} is 1); a second 401 is dead-lettered.
 */
class SalesforceCrmTarget implements CrmTarget, AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final CrmProperties.Target settings;
    private final String component;
    private final ProducerTemplate producer;
    private final UpsertBatcher batcher;

    SalesforceCrmTarget(String name, CrmProperties.Target settings, String component, ProducerTemplate producer) {
        this.name = name;
        this.settings = settings;
        this.component = component;
        this.producer = producer;
        int batchSize = Math.min(settings.salesforce().batchSize(), CrmProperties.Salesforce.MAX_BATCH);
        this.batcher = batchSize <= 1 ? null : new UpsertBatcher(name, batchSize, settings.salesforce().batchLinger(),
                settings.salesforce().batchSenders(), this::sendBatch);
    }

    @Override
    public void upsert(TargetWrite write) {
        if (batcher == null) {
            upsertOne(write);
        } else {
            batcher.upsert(write, settings.timeout().plus(settings.salesforce().batchLinger()).plusSeconds(1));
        }
    }

    private void upsertOne(TargetWrite write) {
        Exchange answer = producer.request(TargetRoutes.SALESFORCE_UPSERT, exchange -> {
            exchange.setProperty(TargetRoutes.COMPONENT_PROPERTY, component);
            // a Map body would be sent as its toString(); the JSON is written here
            exchange.getMessage().setBody(json(write.fields()));
            exchange.getMessage().setHeader(SalesforceEndpointConfig.SOBJECT_NAME, write.object());
            exchange.getMessage().setHeader(SalesforceEndpointConfig.SOBJECT_EXT_ID_NAME,
                    settings.salesforce().externalIdField());
            exchange.getMessage().setHeader(SalesforceEndpointConfig.SOBJECT_EXT_ID_VALUE, write.recordKey());
        });
        if (answer.getException() != null) {
            throw classify(answer.getException());
        }
    }

    private void sendBatch(List<UpsertBatcher.Pending> batch) {
        if (batch.size() == 1) {
            upsertOne(batch.get(0).write());
            batch.get(0).result().complete(null);
            return;
        }
        List<TargetWrite> writes = new ArrayList<>(batch.size());
        batch.forEach(pending -> writes.add(pending.write()));
        List<TargetCallException> failures = upsertCollection(writes);
        for (int i = 0; i < batch.size(); i++) {
            if (failures.get(i) == null) {
                batch.get(i).result().complete(null);
            } else {
                batch.get(i).result().completeExceptionally(failures.get(i));
            }
        }
    }

    /**
     * Collection upserts of up to {@code batch-size} (at most 200) records of one object each;
     * with a batch size of 1, one upsert per record, one after another. A call the target fails
     * as a whole ends the batch with that failure, the records of earlier calls having been
     * written; a record refused on its own is that record's failure.
     */
    @Override
    public List<TargetCallException> upsertAll(List<TargetWrite> writes) {
        TargetCallException[] failures = new TargetCallException[writes.size()];
        for (List<Integer> call : calls(writes)) {
            if (call.size() == 1) {
                failures[call.get(0)] = upsertAlone(writes.get(call.get(0)));
                continue;
            }
            List<TargetWrite> records = new ArrayList<>(call.size());
            call.forEach(index -> records.add(writes.get(index)));
            List<TargetCallException> results = upsertCollection(records);
            for (int i = 0; i < call.size(); i++) {
                failures[call.get(i)] = results.get(i);
            }
        }
        return Arrays.asList(failures);
    }

    @Override
    public int callsFor(List<TargetWrite> writes) {
        return calls(writes).size();
    }

    /** The positions of the writes each call carries: one object per call, up to the batch size. */
    private List<List<Integer>> calls(List<TargetWrite> writes) {
        int size = Math.max(1, Math.min(settings.salesforce().batchSize(), CrmProperties.Salesforce.MAX_BATCH));
        Map<String, List<Integer>> byObject = new LinkedHashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            byObject.computeIfAbsent(writes.get(i).object(), object -> new ArrayList<>()).add(i);
        }
        List<List<Integer>> calls = new ArrayList<>();
        for (List<Integer> indexes : byObject.values()) {
            for (int from = 0; from < indexes.size(); from += size) {
                calls.add(indexes.subList(from, Math.min(indexes.size(), from + size)));
            }
        }
        return calls;
    }

    /** One record's own upsert: its refusal is its failure; anything else fails the call as a whole. */
    private TargetCallException upsertAlone(TargetWrite write) {
        try {
            upsertOne(write);
            return null;
        } catch (TargetRejectedException | TargetFencedException e) {
            return e;
        }
    }

    /** One collection upsert of records of one object, each once; per record null or its failure. */
    private List<TargetCallException> upsertCollection(List<TargetWrite> writes) {
        String object = writes.get(0).object();
        String externalId = settings.salesforce().externalIdField();
        Map<String, Object> attributes = Map.of("type", object);
        List<Map<String, Object>> records = new ArrayList<>(writes.size());
        for (TargetWrite write : writes) {
            // each record as the collection's JSON has it; camel-salesforce serializes the list as
            // given. Its typed sObjects cost a reflective field lookup, thrown and caught, per
            // property and class of each record (a fifth of ccbridge's CPU in the drain's profile)
            Map<String, Object> record = new LinkedHashMap<>(write.fields().size() + 2);
            record.put("attributes", attributes);
            record.putAll(write.fields());
            record.put(externalId, write.recordKey());
            records.add(record);
        }
        Exchange answer = producer.request(TargetRoutes.SALESFORCE_UPSERT_COLLECTION, exchange -> {
            exchange.setProperty(TargetRoutes.COMPONENT_PROPERTY, component);
            exchange.getMessage().setBody(records);
            exchange.getMessage().setHeader(SalesforceEndpointConfig.SOBJECT_NAME, object);
            exchange.getMessage().setHeader(SalesforceEndpointConfig.SOBJECT_EXT_ID_NAME, externalId);
            // without the header camel-salesforce looks for allOrNone in the body: it converts the
            // whole list to a String, serializing every record once more, and finds nothing
            exchange.getMessage().setHeader(SalesforceEndpointConfig.ALL_OR_NONE, "false");
        });
        if (answer.getException() != null) {
            throw classify(answer.getException());
        }
        @SuppressWarnings("unchecked")
        List<UpsertSObjectResult> results = answer.getMessage().getBody(List.class);
        List<TargetCallException> failures = new ArrayList<>(writes.size());
        for (int i = 0; i < writes.size(); i++) {
            UpsertSObjectResult result = results != null && i < results.size() ? results.get(i) : null;
            failures.add(result != null && Boolean.TRUE.equals(result.getSuccess()) ? null : recordFailure(result));
        }
        return failures;
    }

    /** One record of a collection failed; its error codes say whether a retry can help. */
    private TargetCallException recordFailure(UpsertSObjectResult result) {
        String errors = result == null ? "no result for the record" : errors(result.getErrors());
        if (errors != null && errors.contains("REQUEST_LIMIT_EXCEEDED")) {
            return new TargetThrottledException("target " + name + ": " + errors, 403, settings.limitWait());
        }
        if (errors != null && (errors.contains("UNABLE_TO_LOCK_ROW") || result == null)) {
            return new TargetUnavailableException("target " + name + ": " + errors, 0, null);
        }
        return new TargetRejectedException("target " + name + " refused the record: " + errors, 400);
    }

    private TargetCallException classify(Exception failure) {
        SalesforceException salesforce = find(failure, SalesforceException.class);
        if (salesforce == null || salesforce.getStatusCode() == 0) {
            boolean timedOut = find(failure, TimeoutException.class) != null;
            return new TargetUnavailableException("target " + name + (timedOut ? " did not answer within "
                    + settings.timeout().toMillis() + " ms" : " unreachable: " + failure.getMessage()), 0, failure);
        }
        // Salesforce sends no Retry-After, and camel-salesforce keeps only Sforce-* headers
        return FailureClassifier.classifyCodes(name, salesforce.getStatusCode(), errors(salesforce.getErrors()),
                settings.limitWait());
    }

    private static String errors(List<RestError> errors) {
        if (errors == null || errors.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (RestError error : errors) {
            // codes and field names only: Salesforce's messages quote the refused values
            text.append(text.isEmpty() ? "" : "; ").append(error.getErrorCode());
            if (error.getFields() != null && !error.getFields().isEmpty()) {
                text.append(' ').append(error.getFields());
            }
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

    @Override
    public void close() {
        if (batcher != null) {
            batcher.close();
        }
    }
}
