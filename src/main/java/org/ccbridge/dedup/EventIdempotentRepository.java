package org.ccbridge.dedup;

import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The Camel {@link IdempotentRepository} behind the ingress route's idempotent consumer.
 *
 * <p>Unlike Camel's stock repositories it distinguishes a finished duplicate from one still in
 * flight and from a reused id with another payload: the answer is left on the exchange in
 * {@link #CLAIM_PROPERTY} for the reply step. It must be used with {@code eager=true} and
 * {@code skipDuplicate=true}; with {@code skipDuplicate=false} Camel would confirm claims this
 * delivery never held.
 *
 * <p>A confirm only happens when the exchange really succeeded: Camel also completes a block
 * whose exception an {@code onException} handled, and confirming then would acknowledge an
 * event that was never published.
 */
@Component("eventIdempotentRepository")
public class EventIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    /** Exchange property holding the {@link Claim} of this delivery. */
    public static final String CLAIM_PROPERTY = "ccbridgeClaim";
    /** Exchange property the payload hash is read from. */
    public static final String PAYLOAD_HASH_PROPERTY = "ccbridgePayloadHash";
    /** Exchange property set once the claim was given up, so that nothing confirms it later. */
    public static final String RELEASED_PROPERTY = "ccbridgeClaimReleased";

    private static final Logger LOG = LoggerFactory.getLogger(EventIdempotentRepository.class);

    private final DedupStore store;
    private final DedupProperties properties;
    private final SlowStoreBreaker slowStore;

    public EventIdempotentRepository(DedupStore store, DedupProperties properties, SlowStoreBreaker slowStore) {
        this.store = store;
        this.properties = properties;
        this.slowStore = slowStore;
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        String payloadHash = exchange.getProperty(PAYLOAD_HASH_PROPERTY, String.class);
        Claim claim = slowStore.call(() -> store.claim(key, payloadHash, properties.lease()));
        exchange.setProperty(CLAIM_PROPERTY, claim);
        return claim.isClaimed();
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        Claim claim = heldClaim(exchange);
        if (claim == null) {
            return false;
        }
        if (exchange.getProperty(Exchange.EXCEPTION_CAUGHT) != null) {
            return remove(exchange, key);
        }
        try {
            boolean confirmed = store.confirm(key, claim.token(), properties.doneTtl());
            if (!confirmed) {
                LOG.warn("Claim for {} expired before it was confirmed; a retry may publish the event again", key);
            }
            return confirmed;
        } catch (DedupStoreUnavailableException e) {
            // The event is already durable in the broker, so the reply stays a success; the lease
            // expires and a later retry may publish it again, which downstream keys make harmless.
            LOG.warn("Could not confirm claim for {}: {}", key, e.getMessage());
            return false;
        }
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        Claim claim = heldClaim(exchange);
        if (claim == null) {
            return false;
        }
        exchange.setProperty(RELEASED_PROPERTY, Boolean.TRUE);
        try {
            return store.release(key, claim.token());
        } catch (DedupStoreUnavailableException e) {
            // The lease expires on its own; until then the sender's retries get 409.
            LOG.warn("Could not release claim for {}: {}", key, e.getMessage());
            return false;
        }
    }

    private static Claim heldClaim(Exchange exchange) {
        Claim claim = exchange.getProperty(CLAIM_PROPERTY, Claim.class);
        if (claim == null || !claim.isClaimed() || exchange.getProperty(RELEASED_PROPERTY) != null) {
            return null;
        }
        return claim;
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("claims need the exchange: use add(Exchange, String)");
    }

    @Override
    public boolean contains(String key) {
        throw new UnsupportedOperationException("use eager=true: a claim is taken, never looked up first");
    }

    @Override
    public boolean remove(String key) {
        throw new UnsupportedOperationException("releases need the claim token: use remove(Exchange, String)");
    }

    @Override
    public boolean confirm(String key) {
        throw new UnsupportedOperationException("confirms need the claim token: use confirm(Exchange, String)");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("claims expire by TTL; clearing would re-admit duplicates");
    }
}
