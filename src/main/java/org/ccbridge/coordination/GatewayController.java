package org.ccbridge.coordination;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST|PUT|PATCH|DELETE /gateway/{target}/{path}} with an {@code Idempotency-Key}: see
 * {@link MutationGateway}. A replayed response carries {@code Idempotent-Replayed: true}.
 */
@RestController
class GatewayController {

    static final String KEY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final MutationGateway gateway;
    private final GatewayProperties properties;

    GatewayController(MutationGateway gateway, GatewayProperties properties) {
        this.gateway = gateway;
        this.properties = properties;
    }

    @RequestMapping(value = "/gateway/{target}/**",
            method = {RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE})
    ResponseEntity<byte[]> forward(@PathVariable String target, HttpServletRequest request) throws IOException {
        String path = request.getRequestURI().substring(("/gateway/" + target).length());
        String pathAndQuery = request.getQueryString() == null ? path : path + "?" + request.getQueryString();
        MutationGateway.Result result = gateway.handle(
                (String) request.getAttribute(ApiKeyFilter.CLIENT_ATTRIBUTE), target,
                HttpMethod.valueOf(request.getMethod()), pathAndQuery, forwarded(target, request), body(request),
                request.getHeader(KEY_HEADER));
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(result.response().status());
        result.response().headers().forEach(reply::header);
        reply.header(REPLAYED_HEADER, Boolean.toString(result.replayed()));
        return reply.body(result.response().body());
    }

    private Map<String, String> forwarded(String target, HttpServletRequest request) {
        Map<String, String> headers = new HashMap<>();
        GatewayProperties.Target settings = properties.targets().get(target);
        if (settings != null) {
            for (String name : settings.forwardHeaders()) {
                String value = request.getHeader(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
        }
        return headers;
    }

    private byte[] body(HttpServletRequest request) throws IOException {
        long limit = properties.maxBodySize().toBytes();
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit || request.getContentLengthLong() > limit) {
                throw new CoordinationProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "Request too large",
                        "gateway request bodies are limited to " + limit + " bytes");
            }
            return body;
        }
    }
}
