/**
 * Exactly-once acceptance of events: a claim with an in-flight lease, confirmed as done with a
 * long TTL, compared by payload hash, exposed to routes as a Camel {@code IdempotentRepository}.
 */
package org.ccbridge.dedup;
