package org.ccbridge.routes;

import java.util.Set;

/**
 * What a reload did: the routes it (re)started, or why the file was rejected.
 */
public record ReloadResult(boolean applied, Set<String> routeIds, String reason) {

    static ReloadResult applied(Set<String> routeIds) {
        return new ReloadResult(true, routeIds, null);
    }

    static ReloadResult rejected(String reason) {
        return new ReloadResult(false, Set.of(), reason);
    }
}
