package org.ccbridge.coordination;

import java.time.Duration;
import java.util.Optional;

/**
 * Port for versioned session state. Every write increments the version, and a write that names a
 * version succeeds only while the session still has it, so that of two concurrent writers one
 * wins and the other learns it lost. Expired sessions are gone. Every operation throws
 * {@link CoordinationStoreUnavailableException} when the store cannot answer.
 */
public interface SessionStore {

    Optional<StoredSession> get(String key);

    /** Creates the session at version 1; empty when it exists already. */
    Optional<StoredSession> create(String key, SessionContent content, Duration ttl);

    /** Replaces the session if it is at {@code expectedVersion}; empty when absent or at another version. */
    Optional<StoredSession> replace(String key, long expectedVersion, SessionContent content, Duration ttl);

    /**
     * Deletes the session, only at {@code expectedVersion} when one is given.
     *
     * @return false when absent or at another version
     */
    boolean delete(String key, Long expectedVersion);
}
