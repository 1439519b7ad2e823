package org.ccbridge.security;

import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The API client the current request authenticated as, for the APIs that scope their data per client. */
public final class ApiClients {

    private ApiClients() {
    }

    /**
     * @throws AuthenticationCredentialsNotFoundException (a 401) when the request did not
     *         authenticate as an API client; the access rules let none of them reach a flow API
     */
    public static String current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof Caller caller && caller.isApiClient()) {
            return caller.getName();
        }
        throw new AuthenticationCredentialsNotFoundException("this API is for API clients");
    }
}
