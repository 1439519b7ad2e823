package org.ccbridge.auth;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.client.RestClientResponseException;

/** Requests client-credentials tokens (RFC 6749 section 4.4) from a platform's token endpoint. */
class TokenEndpointClient {

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A token as issued, with the lifetime the endpoint gave it. */
    record IssuedToken(String accessToken, Duration lifetime) {
    }

    IssuedToken fetch(String name, OAuthClientProperties.Client client) {
        // HTTP/1.1: the JDK client's h2c upgrade of a POST with a body stalled against a plain-HTTP
        // token endpoint in the tests; token endpoints gain nothing from HTTP/2
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(client.timeout()).build());
        requests.setReadTimeout(client.timeout());
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "client_credentials");
        if (!client.scope().isBlank()) {
            form.add("scope", client.scope());
        }
        RestClient.RequestBodySpec request = RestClient.builder().requestFactory(requests).build()
                .post().uri(client.tokenUrl())
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .accept(MediaType.APPLICATION_JSON);
        if ("post".equalsIgnoreCase(client.clientAuthentication())) {
            form.add("client_id", client.clientId());
            form.add("client_secret", client.clientSecret());
        } else {
            // RFC 6749 2.3.1: id and secret are form-encoded before they are joined and Base64-encoded
            String credentials = URLEncoder.encode(client.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(client.clientSecret(), StandardCharsets.UTF_8);
            request.header(HttpHeaders.AUTHORIZATION, "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        try {
            Map<?, ?> body = request.body(form).retrieve().body(Map.class);
            Object token = body == null ? null : body.get("access_token");
            if (!(token instanceof String accessToken) || accessToken.isBlank()) {
                throw new TokenUnavailableException("token endpoint of " + name + " answered without an access_token", null);
            }
            Object expiresIn = body.get("expires_in");
            Duration lifetime = expiresIn instanceof Number seconds ? Duration.ofSeconds(seconds.longValue())
                    : client.defaultLifetime();
            return new IssuedToken(accessToken, lifetime);
        } catch (RestClientResponseException e) {
            // the status and the OAuth error code say what is wrong; the body may echo credentials
            throw new TokenUnavailableException("token endpoint of " + name + " answered " + e.getStatusCode().value()
                    + oauthError(e), null, retryAfter(e));
        } catch (RestClientException e) {
            throw new TokenUnavailableException("token endpoint of " + name + " unreachable: " + e.getMessage(), e);
        }
    }

    /** A 429's or 503's Retry-After in seconds (the form the platforms send), else null. */
    private static Duration retryAfter(RestClientResponseException e) {
        String value = e.getResponseHeaders() == null ? null : e.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || !value.trim().matches("\\d{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(value.trim()));
    }

    /** The OAuth error code (RFC 6749 5.2), never the rest of the body. */
    private static String oauthError(RestClientResponseException e) {
        try {
            String error = JSON.readTree(e.getResponseBodyAsString()).path("error").asText("");
            return error.matches("[a-z_]{1,64}") ? " (" + error + ")" : "";
        } catch (java.io.IOException notJson) {
            return "";
        }
    }
}
