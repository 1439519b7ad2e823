/**
 * CRM and platform targets of the sync engine: Salesforce through camel-salesforce, any REST API
 * through camel-http, each behind its own circuit breaker, rate limit and throttle pause, with
 * failures classified for the retry policy (retry, wait for the limit, dead-letter at once).
 */
package org.ccbridge.crm;
