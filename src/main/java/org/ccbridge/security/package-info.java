/**
 * Who may call what. One Spring Security configuration ({@link org.ccbridge.security.SecurityConfiguration})
 * decides every request from the table in {@link org.ccbridge.security.AccessRules}: webhooks are let
 * through to their route, which checks the source's signature; flow APIs need an API client with
 * the scope; the admin API needs the read or operate role; health and Prometheus are open to
 * probes and scrapers; everything else is refused. Paths that could be read two ways are refused
 * before any rule ({@link org.ccbridge.security.CanonicalPathFirewall}).
 */
package org.ccbridge.security;
