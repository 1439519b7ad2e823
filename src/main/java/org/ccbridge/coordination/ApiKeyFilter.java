package org.ccbridge.coordination;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.UrlPathHelper;

/**
 * Authenticates callers of the coordination APIs by API key. The presented key is hashed and the
 * hash looked up: comparing digests of a secret leaks nothing useful through timing, and only
 * hashes are configured. The client's name is left on the request for the APIs that scope their
 * data per client.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {

    /** Request attribute holding the authenticated client's name. */
    static final String CLIENT_ATTRIBUTE = "ccbridge.apiClient";
    static final List<String> GUARDED_PREFIXES = List.of("/locks/", "/sessions/", "/gateway/", "/notifications/");

    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyFilter.class);
    private static final java.util.regex.Pattern CLIENT_NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final Map<String, String> clientsByKeyHash = new HashMap<>();

    ApiKeyFilter(ApiClientProperties properties) {
        properties.clients().forEach((name, client) -> {
            // names scope locks, sessions and keys as "<client>:..."; ccbridge's own locks start with #
            if (!CLIENT_NAME.matcher(name).matches()) {
                throw new IllegalStateException("API client names are 1-64 letters, digits, _ and -: " + name);
            }
            if (!client.keySha256().isBlank()) {
                clientsByKeyHash.put(client.keySha256().toLowerCase(Locale.ROOT), name);
            }
        });
    }

    // the path as Spring MVC matches it: decoded, without ;parameters. Checking the raw URI would
    // let /sessions;x/1 or /%6cocks/1 reach the controllers without a key.
    private static final UrlPathHelper MATCHED_PATH = new UrlPathHelper();

    static {
        MATCHED_PATH.setUrlDecode(true);
        MATCHED_PATH.setRemoveSemicolonContent(true);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = MATCHED_PATH.getLookupPathForRequest(request);
        return GUARDED_PREFIXES.stream().noneMatch(prefix -> path.startsWith(prefix)
                || path.equals(prefix.substring(0, prefix.length() - 1)));
    }

    /** The authenticated client; refuses a request that reached an API without one. */
    static String client(HttpServletRequest request) {
        Object client = request.getAttribute(CLIENT_ATTRIBUTE);
        if (client == null) {
            throw new CoordinationProblemException(org.springframework.http.HttpStatus.UNAUTHORIZED,
                    "Authentication failed", "send a client API key as Authorization: Bearer <key>");
        }
        return (String) client;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        String client = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            client = clientsByKeyHash.get(sha256Hex(authorization.substring(7).trim()));
        }
        if (client == null) {
            LOG.warn("API authentication failed: path={} reason={}", request.getRequestURI(),
                    authorization == null ? "no Authorization header" : "unknown key");
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ccbridge\"");
            response.setContentType("application/problem+json");
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Authentication failed\",\"status\":401,"
                    + "\"detail\":\"send a client API key as Authorization: Bearer <key>\"}");
            return;
        }
        request.setAttribute(CLIENT_ATTRIBUTE, client);
        chain.doFilter(request, response);
    }

    static String sha256Hex(String key) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
