package org.ccbridge.coordination;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.ccbridge.security.ApiClients;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Session state for flows that reconnect, possibly in another region, with optimistic
 * concurrency: the version is the {@code ETag}, a write to an existing session must name it in
 * {@code If-Match}, and of two writers at one version one wins and the other gets 412. Sessions
 * belong to the API client that wrote them.
 *
 * <pre>
 * GET    /sessions/{id}                         200 body, ETag, X-Ccbridge-Region | 404
 * PUT    /sessions/{id}[?ttlSeconds=]            201 created (no If-Match) | 428 exists, If-Match missing
 *        If-Match: "version"                     200 replaced | 412 other version or absent
 * DELETE /sessions/{id} [If-Match]               204 | 404 | 412
 * </pre>
 */
@RestController
@RequestMapping("/sessions")
class SessionController {

    static final String REGION_HEADER = "X-Ccbridge-Region";
    private static final Pattern REGION = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final long ANY_VERSION = -1;

    private final SessionStore store;
    private final SessionProperties properties;
    private final SessionCodec codec;

    SessionController(SessionStore store, SessionProperties properties) {
        this.store = store;
        this.properties = properties;
        this.codec = new SessionCodec(properties.compressAbove().toBytes());
    }

    @Operation(summary = "Read a session", description = "The body as stored, its content type, and its version as ETag.")
    @ApiResponse(responseCode = "200", description = "The session; ETag is its version")
    @ApiResponse(responseCode = "404", description = "No such session, or it expired")
    @ApiResponse(responseCode = "503", description = "The session store did not answer (Retry-After)")
    @GetMapping("/{id}")
    ResponseEntity<byte[]> get(@PathVariable String id, HttpServletRequest request) {
        StoredSession session = store.get(key(id)).orElseThrow(() -> notFound(id));
        ResponseEntity.BodyBuilder reply = ResponseEntity.ok()
                .eTag(Long.toString(session.version()))
                .contentType(MediaType.parseMediaType(session.content().contentType()));
        if (session.content().region() != null) {
            reply.header(REGION_HEADER, session.content().region());
        }
        return reply.body(codec.decode(session.content()));
    }

    @Operation(summary = "Create or replace a session", description = "Without If-Match: create only. With "
            + "If-Match: <version> (or *): replace only that version, so that two writers cannot overwrite each other.")
    @ApiResponse(responseCode = "201", description = "Created; ETag is its version")
    @ApiResponse(responseCode = "200", description = "Replaced; ETag is the new version")
    @ApiResponse(responseCode = "412", description = "If-Match names another version: read it again and merge")
    @ApiResponse(responseCode = "413", description = "Larger than ccbridge.sessions.max-size")
    @ApiResponse(responseCode = "428", description = "The session exists and no If-Match was sent")
    @ApiResponse(responseCode = "503", description = "The session store did not answer (Retry-After)")
    @PutMapping("/{id}")
    ResponseEntity<Void> put(@PathVariable String id, @RequestParam(required = false) Integer ttlSeconds,
                             @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                             @RequestHeader(value = REGION_HEADER, required = false) String region,
                             HttpServletRequest request) throws IOException {
        String key = key(id);
        Duration ttl = ttl(ttlSeconds);
        String contentType = contentType(request.getContentType());
        SessionContent content = codec.encode(body(request), contentType, region(region));
        if (ifMatch == null) {
            StoredSession created = store.create(key, content, ttl).orElseThrow(() -> new CoordinationProblemException(
                    HttpStatus.PRECONDITION_REQUIRED, "If-Match required",
                    "session " + id + " exists: send its ETag in If-Match to replace it"));
            return ResponseEntity.status(HttpStatus.CREATED).eTag(Long.toString(created.version())).build();
        }
        long expected = version(ifMatch);
        if (expected == ANY_VERSION) {
            expected = store.get(key).map(StoredSession::version).orElseThrow(() -> preconditionFailed(id));
        }
        StoredSession replaced = store.replace(key, expected, content, ttl).orElseThrow(() -> preconditionFailed(id));
        return ResponseEntity.ok().eTag(Long.toString(replaced.version())).build();
    }

    @Operation(summary = "Delete a session", description = "With If-Match, only that version.")
    @ApiResponse(responseCode = "204", description = "Deleted")
    @ApiResponse(responseCode = "404", description = "No such session")
    @ApiResponse(responseCode = "412", description = "If-Match names another version")
    @ApiResponse(responseCode = "503", description = "The session store did not answer (Retry-After)")
    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id,
                                @RequestHeader(value = HttpHeaders.IF_MATCH, required = false) String ifMatch,
                                HttpServletRequest request) {
        String key = key(id);
        Long expected = ifMatch == null || version(ifMatch) == ANY_VERSION ? null : version(ifMatch);
        if (!store.delete(key, expected)) {
            throw expected == null ? notFound(id) : preconditionFailed(id);
        }
        return ResponseEntity.noContent().build();
    }

    /** Sessions are scoped to the calling client: two clients never see each other's. */
    private static String key(String id) {
        if (!LockController.RESOURCE.matcher(id).matches()) {
            throw new BadCoordinationRequestException("session ids are 1-200 letters, digits and . _ : -");
        }
        return ApiClients.current() + ":" + id;
    }

    private byte[] body(HttpServletRequest request) throws IOException {
        long limit = properties.maxSize().toBytes();
        if (request.getContentLengthLong() > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) limit + 1);
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        }
    }

    private Duration ttl(Integer ttlSeconds) {
        if (ttlSeconds == null) {
            return properties.defaultTtl();
        }
        if (ttlSeconds < 1 || ttlSeconds > properties.maxTtl().toSeconds()) {
            throw new BadCoordinationRequestException("ttlSeconds must be between 1 and " + properties.maxTtl().toSeconds());
        }
        return Duration.ofSeconds(ttlSeconds);
    }

    /** Stored and sent back on every read, so it must parse and fit. */
    private static String contentType(String contentType) {
        if (contentType == null) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        try {
            MediaType.parseMediaType(contentType);
        } catch (org.springframework.http.InvalidMediaTypeException e) {
            throw new BadCoordinationRequestException("Content-Type is not a media type");
        }
        if (contentType.length() > 255) {
            throw new BadCoordinationRequestException("Content-Type is at most 255 characters");
        }
        return contentType;
    }

    private static String region(String region) {
        if (region != null && !REGION.matcher(region).matches()) {
            throw new BadCoordinationRequestException(REGION_HEADER + " is 1-64 letters, digits, _ and -");
        }
        return region;
    }

    /** {@code "3"}, {@code W/"3"} or {@code *}. */
    private static long version(String ifMatch) {
        String tag = ifMatch.trim();
        if (tag.equals("*")) {
            return ANY_VERSION;
        }
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        try {
            return Long.parseLong(tag.replace("\"", ""));
        } catch (NumberFormatException e) {
            throw new BadCoordinationRequestException("If-Match must be an ETag this API gave out, such as \"3\"");
        }
    }

    private static CoordinationProblemException notFound(String id) {
        return new CoordinationProblemException(HttpStatus.NOT_FOUND, "Session not found",
                "no session " + id + " for this client (never written, deleted or expired)");
    }

    private static CoordinationProblemException preconditionFailed(String id) {
        return new CoordinationProblemException(HttpStatus.PRECONDITION_FAILED, "Version mismatch",
                "session " + id + " is not at the version in If-Match: read it again and reapply the change");
    }

    private static CoordinationProblemException tooLarge(long limit) {
        return new CoordinationProblemException(HttpStatus.PAYLOAD_TOO_LARGE, "Session too large",
                "session bodies are limited to " + limit + " bytes");
    }
}
