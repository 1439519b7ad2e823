package org.ccbridge.support;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Skips a {@link RequiresServices} class whose services are not reachable, saying which and how
 * to make it a failure; fails it instead when {@code CCBRIDGE_REQUIRE_SERVICES=true}.
 */
class LocalServicesExtension implements ExecutionCondition, BeforeAllCallback {

    static final String REQUIRE_VARIABLE = "CCBRIDGE_REQUIRE_SERVICES";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missingServices(context);
        if (missing == null || required()) {
            return ConditionEvaluationResult.enabled("services reachable or required");
        }
        String reason = missing + "; skipped (set " + REQUIRE_VARIABLE + "=true to make this a failure)";
        if (context.getTestMethod().isEmpty()) {
            // surefire does not print skip reasons; say it where the person running the build looks
            System.err.println("[ccbridge] " + context.getRequiredTestClass().getSimpleName() + ": " + reason);
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String missing = missingServices(context);
        if (missing != null && required()) {
            throw new IllegalStateException(missing + " and " + REQUIRE_VARIABLE + "=true requires it");
        }
    }

    private static String missingServices(ExtensionContext context) {
        RequiresServices required = context.getRequiredTestClass().getAnnotation(RequiresServices.class);
        if (required == null) {
            return null;
        }
        List<LocalService> missing = Arrays.stream(required.value()).filter(s -> !s.reachable()).toList();
        if (missing.isEmpty()) {
            return null;
        }
        return "Needs " + missing.stream().map(LocalService::describe).toList() + ", not reachable";
    }

    private static boolean required() {
        return Boolean.parseBoolean(System.getenv(REQUIRE_VARIABLE));
    }
}
