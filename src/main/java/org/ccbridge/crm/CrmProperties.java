package org.ccbridge.crm;

import java.time.Duration;
import java.util.Map;

import org.ccbridge.coordination.GatewayProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The targets the sync engine writes to, by name.
 */
@ConfigurationProperties("ccbridge.crm")
public record CrmProperties(@DefaultValue Map<String, Target> targets) {

    public enum Type { SALESFORCE, REST }

    /**
     * @param type               SALESFORCE (camel-salesforce) or REST (camel-http)
     * @param baseUrl            REST: the API's base URL; SALESFORCE: the instance URL (as
     *                           returned by login when empty)
     * @param upsertPath         REST: path template of the upsert, with {object} and {recordKey}
     * @param method             REST: PUT, PATCH or POST
     * @param idempotencyHeader  REST: header carrying the write's idempotency key; empty for none
     * @param fencingHeader      REST: header carrying the fencing token of the record lock the write
     *                           was decided under (a number that only grows per record); a target
     *                           that keeps the highest token it saw per record can refuse an older
     *                           one (412). Empty for none
     * @param oauthClient        REST: a {@code ccbridge.oauth.clients} name whose token is sent
     * @param authHeader         REST: a static header to send instead, e.g. {@code X-Api-Key}
     * @param authValue          its value, from the environment
     * @param timeout            how long one call may take, connection included
     * @param rateLimitPerSecond calls per second (token bucket); 0 for no limit
     * @param rateLimitPerMinute calls per minute, shared by every instance like the per-second
     *                           limit (a platform's limit per OAuth client less headroom); 0 for none
     * @param limitWait          how long to wait at the limit when the target gives no Retry-After
     * @param circuitBreaker     when to stop calling a failing target
     * @param salesforce         SALESFORCE: login and API settings
     */
    public record Target(
            @DefaultValue("REST") Type type,
            @DefaultValue("") String baseUrl,
            @DefaultValue("/{object}/{recordKey}") String upsertPath,
            @DefaultValue("PATCH") String method,
            @DefaultValue("Idempotency-Key") String idempotencyHeader,
            @DefaultValue("X-Ccbridge-Fencing-Token") String fencingHeader,
            @DefaultValue("") String oauthClient,
            @DefaultValue("") String authHeader,
            @DefaultValue("") String authValue,
            @DefaultValue("10s") Duration timeout,
            @DefaultValue("0") int rateLimitPerSecond,
            @DefaultValue("0") int rateLimitPerMinute,
            @DefaultValue("60s") Duration limitWait,
            @DefaultValue GatewayProperties.CircuitBreaker circuitBreaker,
            @DefaultValue Salesforce salesforce) {
    }

    /**
     * @param loginUrl        where the OAuth token is requested
     * @param clientId        the connected app's consumer key
     * @param clientSecret    its secret, from the environment
     * @param apiVersion      REST API version, e.g. 62.0
     * @param externalIdField the external id field upserts go by
     * @param batchSize       up to this many concurrent upserts go as one collection upsert
     *                        ({@code /composite/sobjects}, at most 200); 1 sends each alone
     * @param batchLinger     how long a batch waits to fill
     * @param batchSenders    batches in flight at once
     */
    public record Salesforce(
            @DefaultValue("https://login.salesforce.com") String loginUrl,
            @DefaultValue("") String clientId,
            @DefaultValue("") String clientSecret,
            @DefaultValue("62.0") String apiVersion,
            @DefaultValue("External_Id__c") String externalIdField,
            @DefaultValue("1") int batchSize,
            @DefaultValue("10ms") Duration batchLinger,
            @DefaultValue("4") int batchSenders) {

        /** Salesforce takes at most 200 records per collection request. */
        public static final int MAX_BATCH = 200;
    }
}
