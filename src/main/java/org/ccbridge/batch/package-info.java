/** Gathering concurrent callers into one call per batch, for the stores the sync pipeline uses per record. */
package org.ccbridge.batch;
