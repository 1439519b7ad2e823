/**
 * The record sync engine: reads a contact change from an accepted event, decides against the
 * record's stored sync state (echo, no-op, stale, conflict matrix, loop breaker) under a fenced
 * lock, writes the winner to the other system through its target, and keeps the review queue of
 * changes it will not decide alone.
 */
package org.ccbridge.sync;
