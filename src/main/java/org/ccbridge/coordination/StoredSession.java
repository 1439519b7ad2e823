package org.ccbridge.coordination;

/**
 * A session as the store holds it.
 *
 * @param key     the client-scoped key
 * @param version incremented by every write
 * @param content body and its metadata
 */
public record StoredSession(String key, long version, SessionContent content) {
}
