package org.ccbridge.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.List;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * A WireMock fake that answers like Salesforce: a client-credentials token response without
 * expires_in (also at the instance URL, where camel-salesforce logs in again after a 401), upserts
 * by external id answering 201 {id, success, errors, created}, and helpers for the failure answers
 * Salesforce gives (401 INVALID_SESSION_ID, 403 REQUEST_LIMIT_EXCEEDED with an error array,
 * 500/503, slow responses).
 */
public final class FakeSalesforce implements AutoCloseable {

    public static final String API = "/services/data/v62.0";
    public static final String UPSERT_PATH = API + "/sobjects/Contact/External_Id__c/";
    public static final String COLLECTION_PATH = API + "/composite/sobjects/Contact/External_Id__c";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort());

    public FakeSalesforce() {
        server.start();
        reset();
    }

    public String url() {
        return server.baseUrl();
    }

    public WireMockServer server() {
        return server;
    }

    /** Token and a 201 for every upsert; forgets every request. */
    public void reset() {
        server.resetAll();
        server.stubFor(post(urlEqualTo("/services/oauth2/token")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\":\"00Dxx0000001gPL!AR8AQJXg\",\"instance_url\":\"" + server.baseUrl()
                        + "\",\"id\":\"" + server.baseUrl() + "/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS\","
                        + "\"token_type\":\"Bearer\",\"issued_at\":\"1764000000000\",\"signature\":\"c2lnbmF0dXJl\"}")));
        server.stubFor(patch(urlPathMatching(API + "/sobjects/Contact/External_Id__c/.+")).atPriority(10)
                .willReturn(created()));
        // a collection upsert: one success per record sent, in order
        server.stubFor(patch(urlEqualTo(COLLECTION_PATH)).atPriority(10).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody("[{{#each (jsonPath request.body '$.records') as |record|}}{{#unless @first}},{{/unless}}"
                        + "{\"id\":\"003xx000004TmiQAAS\",\"success\":true,\"errors\":[],\"created\":true}{{/each}}]")
                .withTransformers("response-template")));
    }

    public static ResponseDefinitionBuilder created() {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody("{\"id\":\"003xx000004TmiQAAS\",\"success\":true,\"errors\":[],\"created\":true}");
    }

    public static ResponseDefinitionBuilder error(int status, String errorCode, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json;charset=UTF-8")
                .withBody("[{\"message\":\"" + message + "\",\"errorCode\":\"" + errorCode + "\"}]");
    }

    public static ResponseDefinitionBuilder requestLimitExceeded() {
        return error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
    }

    public static ResponseDefinitionBuilder invalidSession() {
        return error(401, "INVALID_SESSION_ID", "Session expired or invalid");
    }

    /** Upserts received for one record, oldest first, as JSON bodies. */
    public List<JsonNode> upserts(String recordKey) {
        return server.findAll(patchRequestedFor(
                urlEqualTo(UPSERT_PATH + recordKey))).stream().map(FakeSalesforce::body).toList();
    }

    /** Records received in collection upserts, by external id, oldest first. */
    public List<JsonNode> collectionRecords() {
        return server.findAll(patchRequestedFor(urlEqualTo(COLLECTION_PATH))).stream()
                .flatMap(request -> StreamSupport.stream(body(request).get("records").spliterator(), false))
                .toList();
    }

    /** A collection's result for a record it wrote. */
    public static final String WRITTEN = "{\"id\":\"003xx000004TmiQAAS\",\"success\":true,\"errors\":[],\"created\":false}";
    /** A collection's result for a record it refused, as Salesforce words it for a bad email. */
    public static final String REFUSED_EMAIL = "{\"success\":false,\"errors\":[{\"statusCode\":\"INVALID_EMAIL_ADDRESS\","
            + "\"message\":\"Email: invalid email address\",\"fields\":[\"Email\"]}]}";

    /** Collection upserts answer these per-record results, in order, instead of success for each. */
    public void answerCollectionsWith(String... results) {
        server.stubFor(patch(urlEqualTo(COLLECTION_PATH)).atPriority(1).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[" + String.join(",", results) + "]")));
    }

    /** Each collection request's allOrNone, in order. */
    public List<Boolean> collectionAllOrNone() {
        return server.findAll(patchRequestedFor(urlEqualTo(COLLECTION_PATH))).stream()
                .map(request -> body(request).path("allOrNone").asBoolean(true)).toList();
    }

    public int collectionRequests() {
        return server.findAll(patchRequestedFor(urlEqualTo(COLLECTION_PATH))).size();
    }

    public int upsertCount() {
        return server.findAll(patchRequestedFor(anyUrl())).size();
    }

    public int tokenRequests() {
        return server.findAll(postRequestedFor(
                urlEqualTo("/services/oauth2/token"))).size();
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
