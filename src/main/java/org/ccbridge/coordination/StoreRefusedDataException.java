package org.ccbridge.coordination;

import java.sql.SQLException;

import org.springframework.dao.DataIntegrityViolationException;

/**
 * A store refused a value for what it is (too long for its column, against a constraint), as
 * opposed to not answering. Retrying cannot help, so callers answer 400 or dead-letter at once
 * where an outage gets a 503 or a requeue. The message names the SQL state, never the value.
 */
public class StoreRefusedDataException extends RuntimeException {

    private StoreRefusedDataException(String message, Throwable cause) {
        super(message, cause);
    }

    public static StoreRefusedDataException of(DataIntegrityViolationException e) {
        String state = e.getMostSpecificCause() instanceof SQLException sql ? sql.getSQLState() : "unknown";
        return new StoreRefusedDataException("the store refused a value (SQL state " + state + ")", e);
    }
}
