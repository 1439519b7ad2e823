package org.ccbridge.coordination;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.ccbridge.security.ApiClients;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Fenced locks over HTTP, for contact-center flows that serialize work on a shared resource.
 *
 * <pre>
 * POST   /locks/{resource}  {owner, ttlSeconds, waitSeconds}  201 lease | 409 held by another owner
 * PUT    /locks/{resource}  {owner, ttlSeconds}               200 lease | 409 not held by this owner
 * DELETE /locks/{resource}?owner=...                          204       | 409 not held by this owner
 * </pre>
 */
@RestController
@RequestMapping("/locks")
class LockController {

    static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9._:-]{1,200}");
    private static final int MAX_TTL_SECONDS = 3600;
    private static final int MAX_WAIT_SECONDS = 30;

    private final FencedLocks locks;
    private final LockStore store;
    private final Semaphore waiting;

    LockController(FencedLocks locks, LockStore store, LockProperties properties) {
        this.locks = locks;
        this.store = store;
        this.waiting = new Semaphore(properties.maxWaitingRequests());
    }

    record AcquireRequest(String owner, Integer ttlSeconds, Integer waitSeconds) {
    }

    record RenewRequest(String owner, Integer ttlSeconds) {
    }

    record LeaseResponse(String resource, String owner, long fencingToken, Instant expiresAt) {

        static LeaseResponse of(String resource, LockLease lease) {
            return new LeaseResponse(resource, lease.owner(), lease.fencingToken(), lease.expiresAt());
        }
    }

    @Operation(summary = "Take the lock of a resource", description = "Free: taken at once. Held: 409, or wait up "
            + "to waitSeconds for it. The fencing token grows with every grant; send it to the resource's writes.")
    @ApiResponse(responseCode = "201", description = "Taken: owner, fencing token, expiry")
    @ApiResponse(responseCode = "400", description = "No owner, or ttlSeconds/waitSeconds out of range")
    @ApiResponse(responseCode = "409", description = "Held by another owner (Retry-After)")
    @ApiResponse(responseCode = "429", description = "Too many requests already wait for it (Retry-After)")
    @ApiResponse(responseCode = "503", description = "The lock store did not answer (Retry-After)")
    @PostMapping("/{resource}")
    ResponseEntity<LeaseResponse> acquire(@PathVariable String resource, @RequestBody AcquireRequest request)
            throws InterruptedException {
        String scoped = scoped(resource);
        String owner = requireOwner(request.owner());
        Duration ttl = seconds("ttlSeconds", request.ttlSeconds(), 30, 1, MAX_TTL_SECONDS);
        Duration wait = seconds("waitSeconds", request.waitSeconds(), 0, 0, MAX_WAIT_SECONDS);
        // a free lock is taken at once; only a request that must wait needs one of the few places
        Optional<LockLease> lease = locks.acquire(scoped, owner, ttl, Duration.ZERO);
        if (lease.isEmpty() && !wait.isZero()) {
            lease = acquireWaiting(scoped, owner, ttl, wait);
        }
        return lease.map(taken -> ResponseEntity.status(HttpStatus.CREATED).body(LeaseResponse.of(resource, taken)))
                .orElseThrow(() -> new CoordinationConflictException("Lock held",
                        "another owner holds " + resource + "; retry later or wait longer"));
    }

    private Optional<LockLease> acquireWaiting(String scoped, String owner, Duration ttl, Duration wait)
            throws InterruptedException {
        if (!waiting.tryAcquire()) {
            throw new CoordinationProblemException(HttpStatus.TOO_MANY_REQUESTS, "Too many waiting lock requests",
                    "the lock is held and as many requests as allowed are waiting already; retry later");
        }
        try {
            return locks.acquire(scoped, owner, ttl, wait);
        } finally {
            waiting.release();
        }
    }

    @Operation(summary = "Renew a held lock", description = "Only its owner renews it; the fencing token stays.")
    @ApiResponse(responseCode = "200", description = "Renewed: the new expiry")
    @ApiResponse(responseCode = "409", description = "Not held by this owner: it expired or another owner took it")
    @ApiResponse(responseCode = "503", description = "The lock store did not answer (Retry-After)")
    @PutMapping("/{resource}")
    LeaseResponse renew(@PathVariable String resource, @RequestBody RenewRequest request) {
        String scoped = scoped(resource);
        String owner = requireOwner(request.owner());
        Duration ttl = seconds("ttlSeconds", request.ttlSeconds(), 30, 1, MAX_TTL_SECONDS);
        return store.renew(scoped, owner, ttl).map(lease -> LeaseResponse.of(resource, lease))
                .orElseThrow(() -> notHeld(resource));
    }

    @Operation(summary = "Release a held lock")
    @ApiResponse(responseCode = "204", description = "Released")
    @ApiResponse(responseCode = "409", description = "Not held by this owner")
    @ApiResponse(responseCode = "503", description = "The lock store did not answer (Retry-After)")
    @DeleteMapping("/{resource}")
    ResponseEntity<Void> release(@PathVariable String resource, @RequestParam(required = false) String owner) {
        String scoped = scoped(resource);
        if (!store.release(scoped, requireOwner(owner))) {
            throw notHeld(resource);
        }
        return ResponseEntity.noContent().build();
    }

    private static CoordinationConflictException notHeld(String resource) {
        return new CoordinationConflictException("Lock not held",
                "this owner does not hold " + resource + ": its lease ran out or another owner took it over");
    }

    /**
     * Locks taken over HTTP belong to the calling client: {@code <client>:<resource>}. ccbridge's own
     * locks start with {@code #}, which no client name does, so no client can hold them.
     */
    private static String scoped(String resource) {
        if (!RESOURCE.matcher(resource).matches()) {
            throw new BadCoordinationRequestException("resource names are 1-200 letters, digits and . _ : -");
        }
        return ApiClients.current() + ":" + resource;
    }

    private static String requireOwner(String owner) {
        if (owner == null || owner.isBlank() || owner.length() > 255) {
            throw new BadCoordinationRequestException("owner is required, at most 255 characters");
        }
        return owner;
    }

    private static Duration seconds(String name, Integer value, int defaultValue, int min, int max) {
        int seconds = value == null ? defaultValue : value;
        if (seconds < min || seconds > max) {
            throw new BadCoordinationRequestException(name + " must be between " + min + " and " + max);
        }
        return Duration.ofSeconds(seconds);
    }
}
