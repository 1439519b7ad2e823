package org.ccbridge.crm;

/**
 * The routes in {@code routes/} that hold the targets' endpoints, so that an engineer sees and can
 * change the request a write makes. The targets call them and classify the answer; each target
 * names its own Camel component (its login and timeouts) in {@link #COMPONENT_PROPERTY}.
 */
final class TargetRoutes {

    // a call waits this long for its route's consumer: long enough to span a guarded reload of the
    // file, short enough that a route missing for good fails its attempt soon (direct's default: 30 s)
    private static final String WAIT_FOR_ROUTE = "?timeout=1000";

    /** routes/salesforce-upsert.camel.yaml: one record, upsertSObject. */
    static final String SALESFORCE_UPSERT = "direct:salesforce-upsert" + WAIT_FOR_ROUTE;
    /** routes/salesforce-upsert-collection.camel.yaml: up to 200 records, compositeUpsertSObjectCollections. */
    static final String SALESFORCE_UPSERT_COLLECTION = "direct:salesforce-upsert-collection" + WAIT_FOR_ROUTE;
    /** routes/rest-upsert.camel.yaml: one record, camel-http. */
    static final String REST_UPSERT = "direct:rest-upsert" + WAIT_FOR_ROUTE;
    /** Exchange property naming the target's Camel component, for the routes' toD. */
    static final String COMPONENT_PROPERTY = "ccbridgeTargetComponent";

    private TargetRoutes() {
    }
}
