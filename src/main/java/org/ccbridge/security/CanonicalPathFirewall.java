package org.ccbridge.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Refuses every request path that the access rules and the handler could read differently, before
 * any rule is looked at. Spring Security's {@link StrictHttpFirewall} refuses {@code ;} path
 * parameters, encoded {@code /}, {@code %} and {@code .}, {@code .}/{@code ..} segments and
 * {@code //}; this adds what it lets through:
 * <ul>
 * <li>percent-encoded unreserved characters (RFC 3986 letters, digits, {@code - . _ ~}), as in
 *     {@code /%61dmin}: no client needs them, and a decoder anywhere between here and a target could
 *     read them otherwise;</li>
 * <li>a trailing {@code /}: no endpoint has one, and a pattern could match {@code /x/} where the
 *     handler serves {@code /x}.</li>
 * </ul>
 */
final class CanonicalPathFirewall implements HttpFirewall {

    private static final String WEBHOOKS = "/webhooks/";

    private final StrictHttpFirewall strict = new StrictHttpFirewall();

    CanonicalPathFirewall() {
        // the same rules as Spring's defaults (assigned characters, no control characters; a tab
        // allowed in header values), checked by a loop instead of a regular expression: each header
        // read through the firewalled request is checked, and on the ingress, before canonical
        // deliveries passed the chain, the regex checks were a third of the security layer's CPU
        strict.setAllowedHeaderNames(value -> assignedWithoutControls(value, false));
        strict.setAllowedHeaderValues(value -> assignedWithoutControls(value, true));
        strict.setAllowedParameterNames(value -> assignedWithoutControls(value, false));
        strict.setAllowedParameterValues(value -> assignedWithoutControls(value, false));
    }

    @Override
    public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
        String uri = request.getRequestURI();
        if (uri.length() > 1 && uri.endsWith("/")) {
            throw new RequestRejectedException("the path ends with /");
        }
        if (encodesUnreservedCharacter(uri)) {
            throw new RequestRejectedException("the path percent-encodes a character that needs no encoding");
        }
        return strict.getFirewalledRequest(request);
    }

    @Override
    public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
        return strict.getFirewalledResponse(response);
    }

    /**
     * {@code POST /webhooks/<source>} with a source name as configured (lower-case letters, digits,
     * dashes; at most 63): canonical by construction, so this firewall has nothing to refuse in it,
     * and the access table lets it through to the route. {@link SecurityFilterRegistration} lets
     * such deliveries pass the chain; the route reads a few of their headers as opaque strings for
     * a signature comparison and reflects none.
     */
    static boolean isWebhookDelivery(String method, String uri) {
        if (!"POST".equals(method) || !uri.startsWith(WEBHOOKS) || uri.length() == WEBHOOKS.length()
                || uri.length() > WEBHOOKS.length() + 63) {
            return false;
        }
        for (int i = WEBHOOKS.length(); i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    static boolean encodesUnreservedCharacter(String uri) {
        for (int i = uri.indexOf('%'); i >= 0 && i + 2 < uri.length(); i = uri.indexOf('%', i + 1)) {
            int high = Character.digit(uri.charAt(i + 1), 16);
            int low = Character.digit(uri.charAt(i + 2), 16);
            if (high >= 0 && low >= 0 && isUnreserved((char) (high * 16 + low))) {
                return true;
            }
        }
        return false;
    }

    static boolean assignedWithoutControls(String value, boolean tabAllowed) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!Character.isDefined(c) || (Character.isISOControl(c) && !(tabAllowed && c == '\t'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnreserved(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }
}
