package org.ccbridge.security;

import java.util.Set;

/**
 * The capabilities an API client can be granted ({@code ccbridge.api.clients.<name>.scopes}); each
 * is also the name of the Spring Security authority it becomes.
 */
public final class Scopes {

    public static final String LOCKS = "locks";
    public static final String SESSIONS = "sessions";
    public static final String NOTIFICATIONS = "notifications";
    /** {@code gateway:<target>} for one gateway target, {@code gateway:*} for all of them. */
    public static final String GATEWAY_PREFIX = "gateway:";
    public static final String ADMIN_READ = "admin:read";
    public static final String ADMIN_OPERATE = "admin:operate";

    private static final Set<String> FIXED = Set.of(LOCKS, SESSIONS, NOTIFICATIONS, ADMIN_READ, ADMIN_OPERATE);

    private Scopes() {
    }

    static String gateway(String target) {
        return GATEWAY_PREFIX + target;
    }

    /** Whether {@code scope} names a capability; a misspelt scope must fail the start, not deny calls later. */
    static boolean isKnown(String scope) {
        return FIXED.contains(scope) || (scope.startsWith(GATEWAY_PREFIX) && scope.length() > GATEWAY_PREFIX.length());
    }
}
