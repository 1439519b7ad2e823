package org.ccbridge.security;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A credential as a request presented it, before it is checked. */
final class PresentedCredential extends AbstractAuthenticationToken {

    /** Where the credential came from, which decides who checks it. */
    enum Kind {
        /** {@code Authorization: Bearer <key>}: an API client */
        API_KEY,
        /** {@code X-Admin-Token: <token>}: an admin role's token */
        ADMIN_TOKEN
    }

    private final Kind kind;
    private String secret;

    PresentedCredential(Kind kind, String secret) {
        super(List.of());
        this.kind = kind;
        this.secret = secret;
    }

    Kind kind() {
        return kind;
    }

    @Override
    public Object getCredentials() {
        return secret;
    }

    @Override
    public Object getPrincipal() {
        // a presented secret names nobody until it is checked
        return "";
    }

    @Override
    public void eraseCredentials() {
        secret = null;
        super.eraseCredentials();
    }
}
