package org.ccbridge.security;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/**
 * Authenticates API clients by key. The presented key is hashed and the hash looked up: comparing
 * digests of a secret leaks nothing useful through timing, and only hashes are configured.
 */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyAuthenticationProvider.class);
    // names scope locks, sessions and keys as "<client>:..."; ccbridge's own locks start with #
    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Map<String, Caller> callersByKeyHash = new HashMap<>();

    ApiKeyAuthenticationProvider(ApiClientProperties properties) {
        properties.clients().forEach((name, client) -> {
            if (!CLIENT_NAME.matcher(name).matches()) {
                throw new IllegalStateException("API client names are 1-64 letters, digits, _ and -: " + name);
            }
            for (String scope : client.scopes()) {
                if (!Scopes.isKnown(scope)) {
                    throw new IllegalStateException("API client '" + name + "' has an unknown scope '" + scope
                            + "'; scopes are locks, sessions, notifications, gateway:<target>, gateway:*, "
                            + "admin:read, admin:operate");
                }
            }
            if (client.keySha256().isBlank()) {
                return;
            }
            if (client.scopes().isEmpty()) {
                LOG.warn("API client '{}' has no scopes: it can authenticate but call nothing "
                        + "(set ccbridge.api.clients.{}.scopes)", name, name);
            }
            callersByKeyHash.put(client.keySha256().toLowerCase(Locale.ROOT), Caller.apiClient(name, client.scopes()));
        });
    }

    /** Whether any client may use the admin API, which is then not "off" even without admin tokens. */
    boolean anyClientHasAdminScope() {
        return callersByKeyHash.values().stream().flatMap(caller -> caller.getAuthorities().stream())
                .anyMatch(scope -> Set.of(Scopes.ADMIN_READ, Scopes.ADMIN_OPERATE).contains(scope.getAuthority()));
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        if (((PresentedCredential) authentication).kind() != PresentedCredential.Kind.API_KEY) {
            return null;
        }
        Object key = authentication.getCredentials();
        Caller caller = key == null ? null : callersByKeyHash.get(Secrets.sha256Hex(key.toString()));
        if (caller == null) {
            throw new BadCredentialsException("unknown API key");
        }
        return caller;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return PresentedCredential.class.isAssignableFrom(authentication);
    }
}
