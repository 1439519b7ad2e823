package org.ccbridge.support;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips or fails a {@link RequiresServices} class whose services are not reachable.
 */
class LocalServicesExtension implements BeforeAllCallback {

    static final String REQUIRE_VARIABLE = "CCBRIDGE_REQUIRE_SERVICES";

    @Override
    public void beforeAll(ExtensionContext context) {
        RequiresServices required = context.getRequiredTestClass().getAnnotation(RequiresServices.class);
        if (required == null) {
            return;
        }
        List<LocalService> missing = Arrays.stream(required.value()).filter(s -> !s.reachable()).toList();
        if (missing.isEmpty()) {
            return;
        }
        String message = "Needs " + missing + " on 127.0.0.1 " + missing.stream().map(LocalService::port).toList()
                + ", not reachable";
        if (Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE))) {
            throw new IllegalStateException(message + " and " + REQUIRE_VARIABLE + "=true requires it");
        }
        Assumptions.abort(message + "; skipped (set " + REQUIRE_VARIABLE + "=true to make this a failure)");
    }
}
