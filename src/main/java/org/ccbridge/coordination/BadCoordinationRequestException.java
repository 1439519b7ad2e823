package org.ccbridge.coordination;

/** The request itself is wrong (400). */
class BadCoordinationRequestException extends RuntimeException {

    BadCoordinationRequestException(String detail) {
        super(detail);
    }
}
