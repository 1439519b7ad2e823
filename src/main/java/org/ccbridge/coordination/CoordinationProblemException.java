package org.ccbridge.coordination;

import org.springframework.http.HttpStatus;

/** A failure the coordination APIs answer with its own status and a problem+json body. */
public class CoordinationProblemException extends RuntimeException {

    private final HttpStatus status;
    private final String title;

    CoordinationProblemException(HttpStatus status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }
}
