package org.ccbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class AdminTokenFilterTests {

    @Test
    void validTokenPasses() throws Exception {
        MockHttpServletResponse response = call(new AdminProperties("s3cret-token", false), "s3cret-token");
        assertThat(response.getStatus()).isEqualTo(200);
    }

    @Test
    void wrongOrMissingTokenIs401ProblemWithoutEchoingIt() throws Exception {
        MockHttpServletResponse wrong = call(new AdminProperties("s3cret-token", true), "guess");
        assertThat(wrong.getStatus()).isEqualTo(401);
        assertThat(wrong.getContentType()).isEqualTo("application/problem+json");
        assertThat(wrong.getContentAsString()).doesNotContain("s3cret-token").doesNotContain("guess");
        assertThat(call(new AdminProperties("s3cret-token", true), null).getStatus()).isEqualTo(401);
    }

    @Test
    void withoutATokenTheApiIsOpenOnlyWhenConfiguredOpen() throws Exception {
        assertThat(call(new AdminProperties("", true), null).getStatus()).isEqualTo(200);
        MockHttpServletResponse closed = call(new AdminProperties("", false), null);
        assertThat(closed.getStatus()).isEqualTo(403);
        assertThat(closed.getContentAsString()).contains("CCBRIDGE_ADMIN_TOKEN");
    }

    @Test
    void otherPathsAreNotGuarded() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/health");
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new AdminTokenFilter(new AdminProperties("s3cret-token", false)).doFilter(request, response, chain);
        assertThat(chain.getRequest()).isNotNull();
    }

    private static MockHttpServletResponse call(AdminProperties properties, String token) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/admin/queues");
        if (token != null) {
            request.addHeader(AdminTokenFilter.HEADER, token);
        }
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        new AdminTokenFilter(properties).doFilter(request, response, chain);
        if (chain.getRequest() != null) {
            response.setStatus(200);
        }
        return response;
    }
}
