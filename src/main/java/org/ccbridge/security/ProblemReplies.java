package org.ccbridge.security;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The security layer's answers, as problem+json (RFC 9457) like every other error of ccbridge:
 * 400 for a path refused by the firewall, 401 without a valid credential, 403 for a credential
 * without the scope or role. They never echo a presented secret or the path. Each refusal is
 * counted ({@code ccbridge_security_refusals_total} by reason) and logged at DEBUG only: a flood of
 * bad requests must not become a flood of log lines.
 */
final class ProblemReplies implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final Logger LOG = LoggerFactory.getLogger("org.ccbridge.security");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PREFIX = "/admin/";

    private final MeterRegistry meters;
    private final boolean adminConfigured;

    ProblemReplies(MeterRegistry meters, boolean adminConfigured) {
        this.meters = meters;
        this.adminConfigured = adminConfigured;
    }

    /** No credential, or one that did not check out. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean admin = request.getRequestURI().startsWith(ADMIN_PREFIX);
        if (admin && !adminConfigured) {
            refuse(request, response, HttpServletResponse.SC_FORBIDDEN, "admin_off", "Admin API disabled",
                    "no admin credential is configured: set CCBRIDGE_ADMIN_TOKEN (operate) or "
                            + "CCBRIDGE_ADMIN_READ_TOKEN (read), or grant an API client admin:read or admin:operate");
            return;
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"ccbridge\"");
        refuse(request, response, HttpServletResponse.SC_UNAUTHORIZED, "unauthenticated", "Authentication failed",
                admin ? "send an admin token as " + CredentialConverter.ADMIN_TOKEN_HEADER
                        + ", or an API key with an admin scope as Authorization: Bearer <key>"
                        : "send a client API key as Authorization: Bearer <key>");
    }

    /** A valid credential without the scope or role the request needs. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String needs = AccessRules.ruleFor(request).map(AccessRule::requirement)
                .orElse("a rule, and no rule allows this request");
        refuse(request, response, HttpServletResponse.SC_FORBIDDEN, "forbidden", "Forbidden",
                "this credential does not grant the request; it needs " + needs);
    }

    /** A path the firewall refused: one that could be read two ways. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        refuse(request, response, HttpServletResponse.SC_BAD_REQUEST, "rejected_path", "Invalid request path",
                "paths must be plain: no ;parameters, no percent-encoding of characters that need none, no "
                        + "encoded / or %, no . or .. segments, no // and no trailing /");
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, int status, String reason,
                        String title, String detail) throws IOException {
        meters.counter("ccbridge.security.refusals", "reason", reason).increment();
        LOG.debug("Refused {} {}: {}", request.getMethod(), reason, status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        response.setStatus(status);
        response.setContentType("application/problem+json");
        JSON.writeValue(response.getOutputStream(), problem);
    }
}
