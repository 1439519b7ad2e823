/**
 * Customer notifications sent exactly once: the API and the route endpoint write a notification
 * and its outbox row in one transaction, under the caller's Idempotency-Key.
 */
package org.ccbridge.notify;
