package org.ccbridge.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads the credential a request presents: an API key as {@code Authorization: Bearer <key>}, or an
 * admin token as {@code X-Admin-Token}. A request with neither goes on unauthenticated, and the
 * access rules decide whether that is enough.
 */
final class CredentialConverter implements AuthenticationConverter {

    static final String ADMIN_TOKEN_HEADER = "X-Admin-Token";
    private static final String BEARER = "Bearer ";

    @Override
    public Authentication convert(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return new PresentedCredential(PresentedCredential.Kind.API_KEY,
                    authorization.substring(BEARER.length()).trim());
        }
        String adminToken = request.getHeader(ADMIN_TOKEN_HEADER);
        if (adminToken != null) {
            return new PresentedCredential(PresentedCredential.Kind.ADMIN_TOKEN, adminToken);
        }
        return null;
    }
}
