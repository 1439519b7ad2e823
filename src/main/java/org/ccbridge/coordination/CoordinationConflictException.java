package org.ccbridge.coordination;

/** The request is valid but conflicts with the current state (409). */
class CoordinationConflictException extends RuntimeException {

    private final String title;

    CoordinationConflictException(String title, String detail) {
        super(detail);
        this.title = title;
    }

    String title() {
        return title;
    }
}
