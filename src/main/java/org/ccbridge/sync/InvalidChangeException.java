package org.ccbridge.sync;

import java.util.Map;

import org.ccbridge.normalize.InvalidFieldValueException;

/**
 * A change with a mapped value that failed normalization or its target's pattern. It carries the
 * change as received, so that it can be parked for review instead of being sent.
 */
public class InvalidChangeException extends RuntimeException {

    private final RecordChange change;
    private final String field;
    private final String reason;

    public InvalidChangeException(RecordChange change, InvalidFieldValueException cause) {
        super("record " + change.recordName() + ": " + cause.getMessage(), cause);
        this.change = change;
        this.field = cause.field();
        this.reason = cause.reason();
    }

    /** The change, its fields as received rather than canonical. */
    public RecordChange change() {
        return change;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }

    public Map<String, String> receivedFields() {
        return change.fields();
    }
}
