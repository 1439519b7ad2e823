package org.ccbridge.normalize;

/**
 * A mapped value that cannot be normalized or fails its target's pattern. The reason never
 * quotes the value: values are customer data, and the reason ends up in logs and the admin API.
 */
public class InvalidFieldValueException extends RuntimeException {

    private final String field;
    private final String reason;

    public InvalidFieldValueException(String field, String reason) {
        super("field " + field + ": " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return reason;
    }
}
