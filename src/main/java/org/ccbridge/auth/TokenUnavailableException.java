package org.ccbridge.auth;

/** No valid token could be had in time; callers answer 503 and retry later. */
public class TokenUnavailableException extends RuntimeException {

    public TokenUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
