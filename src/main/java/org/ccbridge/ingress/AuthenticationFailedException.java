package org.ccbridge.ingress;

/**
 * A delivery failed authentication; the message says why without revealing any secret.
 */
public class AuthenticationFailedException extends Exception {

    public AuthenticationFailedException(String reason) {
        super(reason, null, false, false);
    }
}
