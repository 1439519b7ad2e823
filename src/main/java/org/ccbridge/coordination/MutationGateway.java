package org.ccbridge.coordination;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;

import org.ccbridge.auth.OAuthTokenCache;
import org.ccbridge.auth.TokenUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;

/**
 * Idempotency-Key semantics in front of external mutations (Stripe's and the IETF draft's): a
 * request is forwarded once per key, its response stored and replayed to every retry with the same
 * key and payload, including the retry of a caller that timed out while ccbridge still finished
 * the call (the "504 false failure"). Keys are scoped to the calling client and the target.
 *
 * <p>Not stored, so that the retry goes through: our own 401 and 429, a target's 401, 403, 408 and
 * 429 (authentication and throttling pass), a target's 5xx unless the target is configured to
 * store them, and a target that could not be reached or did not answer.
 */
public class MutationGateway {

    static final int MAX_KEY_LENGTH = 255;
    private static final Set<Integer> NEVER_STORED = Set.of(401, 403, 408, 429);
    private static final Duration LEASE_MARGIN = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(MutationGateway.class);

    /** What the caller gets. */
    public record Result(StoredResponse response, boolean replayed) {
    }

    private final IdempotencyStore store;
    private final OAuthTokenCache tokens;
    private final GatewayProperties properties;
    private final Map<String, GatewayTarget> targets = new HashMap<>();

    public MutationGateway(IdempotencyStore store, OAuthTokenCache tokens, GatewayProperties properties,
                           RateLimits rateLimits) {
        this.store = store;
        this.tokens = tokens;
        this.properties = properties;
        properties.targets().forEach((name, settings) -> {
            if (!settings.oauthClient().isBlank() && !tokens.knows(settings.oauthClient())) {
                throw new IllegalStateException("gateway target " + name + " names OAuth client "
                        + settings.oauthClient() + ", which ccbridge.oauth.clients does not configure");
            }
            targets.put(name, new GatewayTarget(name, settings, rateLimits));
        });
    }

    /** The circuit breaker of every target, for their metrics. */
    public List<CircuitBreaker> circuitBreakers() {
        return targets.values().stream().map(GatewayTarget::circuitBreaker).toList();
    }

    public Result handle(String client, String targetName, HttpMethod method, String pathAndQuery,
                         Map<String, String> headers, byte[] body, String key) {
        GatewayTarget target = targets.get(targetName);
        if (target == null) {
            throw new CoordinationProblemException(HttpStatus.NOT_FOUND, "Unknown target",
                    "no gateway target is configured as " + targetName);
        }
        if (key == null || key.isBlank()) {
            if (target.settings().requireKey()) {
                throw new BadCoordinationRequestException("target " + targetName + " needs an Idempotency-Key header");
            }
            return new Result(call(target, method, pathAndQuery, headers, body, null), false);
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw new BadCoordinationRequestException("Idempotency-Key is at most " + MAX_KEY_LENGTH + " characters");
        }
        String scopedKey = client + ":" + targetName + ":" + key;
        // token fetch, a send, a refused token and a second send: three timeouts at the most
        Duration lease = target.settings().timeout().multipliedBy(3).plus(LEASE_MARGIN);
        IdempotencyClaim claim = store.claim(scopedKey, requestHash(method, pathAndQuery, body), lease);
        switch (claim.state()) {
            case COMPLETED:
                return new Result(claim.response(), true);
            case IN_FLIGHT:
                throw new CoordinationConflictException("Request in progress",
                        "a request with this Idempotency-Key is still running; retry later");
            case MISMATCH:
                throw new CoordinationProblemException(HttpStatus.UNPROCESSABLE_ENTITY, "Idempotency-Key reused",
                        "this Idempotency-Key was used with another request; use a new key for a new request");
            default:
                break;
        }
        StoredResponse response;
        try {
            response = call(target, method, pathAndQuery, headers, body, key);
        } catch (CoordinationProblemException e) {
            // a timeout may have applied the mutation: like a 5xx, it is stored when the target says so
            if (e.status() == HttpStatus.GATEWAY_TIMEOUT && target.settings().storeServerErrors()) {
                settle(scopedKey, claim.token(), targetName, new StoredResponse(504, Map.of(), new byte[0]));
            } else {
                settle(scopedKey, claim.token(), targetName, null);
            }
            throw e;
        } catch (RuntimeException e) {
            settle(scopedKey, claim.token(), targetName, null);
            throw e;
        }
        settle(scopedKey, claim.token(), targetName, stored(target, response.status()) ? response : null);
        return new Result(response, false);
    }

    /**
     * Stores the response, or releases the claim when {@code response} is null. The target has
     * answered by now: a store that fails here must not turn its answer into a 503, so the failure
     * is logged and the claim left to its lease.
     */
    private void settle(String scopedKey, String token, String targetName, StoredResponse response) {
        try {
            if (response == null) {
                store.release(scopedKey, token);
            } else if (!store.complete(scopedKey, token, response, properties.keyTtl())) {
                LOG.warn("Gateway response of target {} not stored: the claim's lease ran out first", targetName);
            }
        } catch (CoordinationStoreUnavailableException | StoreRefusedDataException e) {
            // refused too: the target acted, so its answer goes back to the caller either way
            LOG.warn("Gateway outcome of target {} not recorded, the key stays claimed until its lease ends: {}",
                    targetName, e.getMessage());
        }
    }

    private StoredResponse call(GatewayTarget target, HttpMethod method, String pathAndQuery,
                                Map<String, String> headers, byte[] body, String key) {
        if (!target.admit()) {
            throw new CoordinationProblemException(HttpStatus.TOO_MANY_REQUESTS, "Rate limit",
                    "this target's rate limit is used up; retry in a second");
        }
        if (!target.circuitAllows()) {
            throw new CoordinationProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Target unavailable",
                    "the target failed too often lately; ccbridge stops calling it for a while");
        }
        try {
            return target.forward(method, pathAndQuery, headers, body, key, tokens);
        } catch (GatewayTarget.Unreachable e) {
            throw new CoordinationProblemException(e.timedOut ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY,
                    e.timedOut ? "Target timeout" : "Target unreachable", e.getMessage());
        } catch (TokenUnavailableException e) {
            throw new CoordinationProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Target unavailable",
                    "no access token for the target: " + e.getMessage(), e.retryAfter().orElse(null));
        }
    }

    private static boolean stored(GatewayTarget target, int status) {
        if (NEVER_STORED.contains(status)) {
            return false;
        }
        return status < 500 || target.settings().storeServerErrors();
    }

    private static String requestHash(HttpMethod method, String pathAndQuery, byte[] body) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update((method.name() + " " + pathAndQuery + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha256.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
