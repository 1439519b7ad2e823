/**
 * Tracing: one trace follows an event from the webhook through the queue (W3C traceparent in the
 * message headers) to the CRM or provider call; off unless an OTLP endpoint is configured.
 */
package org.ccbridge.tracing;
