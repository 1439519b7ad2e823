package org.ccbridge.coordination;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.ccbridge.security.ApiClients;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;
import org.springframework.web.util.UrlPathHelper;

/**
 * {@code POST|PUT|PATCH|DELETE /gateway/{target}/{path}} with an {@code Idempotency-Key}: see
 * {@link MutationGateway}. A replayed response carries {@code Idempotent-Replayed: true}.
 */
@RestController
class GatewayController {

    static final String KEY_HEADER = "Idempotency-Key";
    static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final UrlPathHelper MATCHED_PATH = new UrlPathHelper();

    static {
        MATCHED_PATH.setUrlDecode(true);
        MATCHED_PATH.setRemoveSemicolonContent(true);
    }

    private final MutationGateway gateway;
    private final GatewayProperties properties;

    GatewayController(MutationGateway gateway, GatewayProperties properties) {
        this.gateway = gateway;
        this.properties = properties;
    }

    @Operation(summary = "Forward a mutation to a target, once per Idempotency-Key",
            description = "The rest of the path and the query go to the target's base URL. The target's answer is "
                    + "stored and replayed for a retry with the same key (Idempotent-Replayed: true).")
    @ApiResponse(responseCode = "2XX", description = "The target's answer, or its stored copy")
    @ApiResponse(responseCode = "400", description = "No Idempotency-Key where the target needs one")
    @ApiResponse(responseCode = "409", description = "A request with this key is still in progress (Retry-After)")
    @ApiResponse(responseCode = "413", description = "Body over ccbridge.gateway.max-body-size")
    @ApiResponse(responseCode = "422", description = "This key was used with another request")
    @ApiResponse(responseCode = "429", description = "The target's rate limit is used up (Retry-After)")
    @ApiResponse(responseCode = "502", description = "The target could not be reached")
    @ApiResponse(responseCode = "503", description = "The target's circuit is open, no token, or the store did not "
            + "answer (Retry-After)")
    @ApiResponse(responseCode = "504", description = "The target did not answer in time")
    @RequestMapping(value = "/gateway/{target}/**",
            method = {RequestMethod.POST, RequestMethod.PUT, RequestMethod.PATCH, RequestMethod.DELETE})
    ResponseEntity<byte[]> forward(@PathVariable String target, HttpServletRequest request) throws IOException {
        String pathAndQuery = targetPath(target, request);
        MutationGateway.Result result = gateway.handle(
                ApiClients.current(), target,
                HttpMethod.valueOf(request.getMethod()), pathAndQuery, forwarded(target, request), body(request),
                request.getHeader(KEY_HEADER));
        ResponseEntity.BodyBuilder reply = ResponseEntity.status(result.response().status());
        result.response().headers().forEach(reply::header);
        reply.header(REPLAYED_HEADER, Boolean.toString(result.replayed()));
        return reply.body(result.response().body());
    }

    /**
     * The path after {@code /gateway/{target}}, decoded as Spring matched it, with no {@code .} or
     * {@code ..} segment: a caller must not leave the target's base path with ccbridge's
     * credentials. Re-encoded for the target, with the query string as sent.
     */
    private static String targetPath(String target, HttpServletRequest request) {
        String matched = MATCHED_PATH.getLookupPathForRequest(request);
        String path = matched.substring(Math.min(matched.length(), ("/gateway/" + target).length()));
        for (String segment : path.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new BadCoordinationRequestException("gateway paths may not contain . or .. segments");
            }
        }
        String encoded = UriUtils.encodePath(path, StandardCharsets.UTF_8);
        return request.getQueryString() == null ? encoded : encoded + "?" + request.getQueryString();
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
