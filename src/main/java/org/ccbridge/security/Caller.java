package org.ccbridge.security;

import java.util.Collection;
import java.util.Set;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * Who a request authenticated as, with its scopes as authorities: an API client (by its configured
 * name) or the holder of an admin token.
 */
public final class Caller extends AbstractAuthenticationToken {

    private final String name;
    private final boolean apiClient;

    private Caller(String name, boolean apiClient, Collection<? extends GrantedAuthority> scopes) {
        super(scopes);
        this.name = name;
        this.apiClient = apiClient;
        setAuthenticated(true);
    }

    static Caller apiClient(String name, Set<String> scopes) {
        return new Caller(name, true, AuthorityUtils.createAuthorityList(scopes));
    }

    static Caller adminToken(String role, String... scopes) {
        return new Caller("admin-token:" + role, false, AuthorityUtils.createAuthorityList(scopes));
    }

    /** The client name that scopes this caller's locks, sessions, keys and notifications. */
    @Override
    public String getName() {
        return name;
    }

    public boolean isApiClient() {
        return apiClient;
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return name;
    }
}
