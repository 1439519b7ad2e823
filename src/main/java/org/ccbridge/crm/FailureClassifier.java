package org.ccbridge.crm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Sorts a target's non-2xx answer into retry, wait or dead-letter. Salesforce signals its API
 * limit with 403 and errorCode REQUEST_LIMIT_EXCEEDED, not 429, and sends no Retry-After.
 */
final class FailureClassifier {

    private static final int MAX_CODES = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private FailureClassifier() {
    }

    static TargetCallException classify(String target, int status, String retryAfterHeader, String body,
                                        Duration defaultLimitWait) {
        return sort(status, retryAfterHeader, "target " + target + " answered " + status + errorText(body),
                defaultLimitWait);
    }

    /** For clients that parsed the error codes already (camel-salesforce); no Retry-After reaches them. */
    static TargetCallException classifyCodes(String target, int status, String codes, Duration defaultLimitWait) {
        return sort(status, null, "target " + target + " answered " + status + (codes == null ? "" : ": " + codes),
                defaultLimitWait);
    }

    private static TargetCallException sort(int status, String retryAfterHeader, String error, Duration defaultLimitWait) {
        if (status == 429 || (status == 403 && error.contains("REQUEST_LIMIT_EXCEEDED"))) {
            return new TargetThrottledException(error, status, RetryAfter.wait(retryAfterHeader, defaultLimitWait));
        }
        if (status == 412) {
            return new TargetFencedException(error);
        }
        if (status == 408 || status >= 500) {
            return new TargetUnavailableException(error, status, null);
        }
        return new TargetRejectedException(error, status);
    }

    /**
     * The target's error codes and field names, never its messages: APIs quote the values they
     * refused (an email address, a phone number), and this text goes to logs and DLQ headers.
     */
    static String errorText(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            List<String> codes = new ArrayList<>();
            collectCodes(JSON.readTree(body), codes);
            return codes.isEmpty() ? " (no error code in the body)" : ": " + String.join("; ", codes);
        } catch (JsonProcessingException e) {
            return " (" + body.length() + " characters, not JSON)";
        }
    }

    private static void collectCodes(JsonNode node, List<String> codes) {
        if (node.isArray()) {
            node.forEach(element -> collectCodes(element, codes));
            return;
        }
        if (!node.isObject() || codes.size() >= MAX_CODES) {
            return;
        }
        for (String name : new String[] {"errorCode", "statusCode", "code", "error"}) {
            if (node.hasNonNull(name) && node.get(name).isValueNode()) {
                String fields = node.path("fields").isArray() && !node.path("fields").isEmpty()
                        ? " " + node.get("fields").toString() : "";
                codes.add(node.get(name).asText() + fields);
                break;
            }
        }
        if (node.has("errors")) {
            collectCodes(node.get("errors"), codes);
        }
    }
}
