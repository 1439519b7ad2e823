package org.ccbridge.auth;

import java.time.Instant;

/**
 * Token requests of one client that the endpoint refused in a row, and when the next may go out.
 * Kept in the shared store, so that every instance waits, not only the one that was refused.
 *
 * @param refusals refused requests since the last token was issued
 * @param retryAt  before this, no instance asks the endpoint for this client's token
 */
public record RefreshBackoff(int refusals, Instant retryAt) {
}
