package org.ccbridge.sync;

import java.util.Optional;

/** Reads and fenced saves of one record's sync state, one record per call. */
public interface RecordStates {

    Optional<RecordState> find(String object, String recordKey);

    /**
     * Inserts the row when {@code existed} is false, else updates it if no newer lock wrote it.
     *
     * @throws StaleFenceTokenException when a holder of a newer lock has written the row
     */
    void save(RecordState state, long fenceToken, boolean existed, long now);
}
