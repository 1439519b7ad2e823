package org.ccbridge.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /admin/**}: with a token configured, only requests carrying it in
 * {@code X-Admin-Token} pass (compared in constant time); without one, the API is open only when
 * {@code ccbridge.admin.open} says so.
 */
@Component
class AdminTokenFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Admin-Token";

    private final AdminProperties properties;

    AdminTokenFilter(AdminProperties properties) {
        this.properties = properties;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/admin/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (properties.token().isEmpty()) {
            if (properties.open()) {
                chain.doFilter(request, response);
            } else {
                reject(response, HttpServletResponse.SC_FORBIDDEN, "Admin API disabled",
                        "set CCBRIDGE_ADMIN_TOKEN to enable the admin API");
            }
            return;
        }
        String presented = request.getHeader(HEADER);
        if (presented != null && sameSecret(properties.token(), presented)) {
            chain.doFilter(request, response);
        } else {
            reject(response, HttpServletResponse.SC_UNAUTHORIZED, "Authentication failed",
                    "the admin API needs a valid " + HEADER + " header");
        }
    }

    private static boolean sameSecret(String expected, String presented) {
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    private static void reject(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}");
    }
}
