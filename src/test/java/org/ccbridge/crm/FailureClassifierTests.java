package org.ccbridge.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class FailureClassifierTests {

    private static final Duration LIMIT_WAIT = Duration.ofSeconds(60);

    @Test
    void errorTextKeepsCodesAndFieldsButNeverTheRefusedValues() {
        TargetCallException failure = FailureClassifier.classify("salesforce", 400, null,
                "[{\"message\":\"Email: invalid email address: jane.doe@example.com\",\"errorCode\":\"INVALID_EMAIL_ADDRESS\","
                        + "\"fields\":[\"Email\"]}]", LIMIT_WAIT);
        assertThat(failure).isInstanceOf(TargetRejectedException.class);
        assertThat(failure.getMessage()).contains("INVALID_EMAIL_ADDRESS").contains("Email").doesNotContain("jane.doe");

        TargetCallException rest = FailureClassifier.classify("crm", 422, null,
                "{\"error\":\"validation_failed\",\"message\":\"phone +12025550143 is taken\"}", LIMIT_WAIT);
        assertThat(rest.getMessage()).contains("validation_failed").doesNotContain("2025550143");
        assertThat(FailureClassifier.classify("crm", 500, null, "<html>Internal error for jane@example.com</html>",
                LIMIT_WAIT).getMessage()).doesNotContain("jane");
    }

    @Test
    void limitsAreThrottlesWithTheirWait() {
        TargetCallException salesforce = FailureClassifier.classify("salesforce", 403, null,
                "[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]", LIMIT_WAIT);
        assertThat(salesforce).isInstanceOf(TargetThrottledException.class);
        assertThat(((TargetThrottledException) salesforce).retryAfter()).isEqualTo(LIMIT_WAIT);
        TargetCallException tooMany = FailureClassifier.classify("crm", 429, "7", "", LIMIT_WAIT);
        assertThat(((TargetThrottledException) tooMany).retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(FailureClassifier.classify("crm", 403, null, "[{\"errorCode\":\"INSUFFICIENT_ACCESS\"}]", LIMIT_WAIT))
                .isInstanceOf(TargetRejectedException.class);
        assertThat(FailureClassifier.classify("crm", 503, null, null, LIMIT_WAIT)).isInstanceOf(TargetUnavailableException.class);
        assertThat(FailureClassifier.classify("crm", 408, null, null, LIMIT_WAIT)).isInstanceOf(TargetUnavailableException.class);
    }
}
