package org.ccbridge.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Authenticates holders of an admin token: the operate token grants both admin roles, the read
 * token only reading. Both configured tokens are compared every time, in constant time.
 */
final class AdminTokenAuthenticationProvider implements AuthenticationProvider {

    private final AdminProperties properties;

    AdminTokenAuthenticationProvider(AdminProperties properties) {
        this.properties = properties;
    }

    boolean anyTokenConfigured() {
        return !properties.operateToken().isEmpty() || !properties.readToken().isEmpty();
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        if (((PresentedCredential) authentication).kind() != PresentedCredential.Kind.ADMIN_TOKEN) {
            return null;
        }
        String presented = String.valueOf(authentication.getCredentials());
        boolean operate = matches(properties.operateToken(), presented);
        boolean read = matches(properties.readToken(), presented);
        if (operate) {
            return Caller.adminToken("operate", Scopes.ADMIN_READ, Scopes.ADMIN_OPERATE);
        }
        if (read) {
            return Caller.adminToken("read", Scopes.ADMIN_READ);
        }
        throw new BadCredentialsException("unknown admin token");
    }

    private static boolean matches(String configured, String presented) {
        // an unset token matches nothing, not the empty header
        return !configured.isEmpty() & Secrets.same(configured, presented);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedCredential.class.isAssignableFrom(authentication);
    }
}
