package org.ccbridge.ingress;

/**
 * Verifies that a delivery comes from its source; one implementation per {@link AuthScheme}.
 * Implementations compare in constant time and never put secrets or bodies into messages.
 */
public interface WebhookAuthenticator {

    /** Returns normally when the delivery is authentic, throws with a reason otherwise. */
    void authenticate(WebhookRequest request) throws AuthenticationFailedException;
}
