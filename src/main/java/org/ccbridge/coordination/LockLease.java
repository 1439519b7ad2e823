package org.ccbridge.coordination;

import java.time.Instant;

/**
 * A held lock.
 *
 * @param resource     the locked resource
 * @param owner        who holds it
 * @param fencingToken greater than every token issued for this resource before
 * @param expiresAt    when the lease runs out unless renewed (the store's view, from its clock)
 */
public record LockLease(String resource, String owner, long fencingToken, Instant expiresAt) {
}
