package org.ccbridge.security;

import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * One row of the access table: the requests it covers, who may make them, and that requirement in
 * words for the 403 answer and the README.
 */
record AccessRule(RequestMatcher requests, AuthorizationManager<RequestAuthorizationContext> access,
                  String requirement) {
}
