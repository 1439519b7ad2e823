package org.ccbridge.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

/**
 * Assertions on ingress replies that many tests make.
 */
public final class IngressAssertions {

    private IngressAssertions() {
    }

    /** The delivery was accepted as a new event: 200 with status ACCEPTED. */
    public static void assertAccepted(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"ACCEPTED\"");
    }
}
