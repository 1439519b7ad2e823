/**
 * Adapters for the hot-state ports (Redis and JDBC), chosen by {@code ccbridge.store.type}.
 */
package org.ccbridge.store;
