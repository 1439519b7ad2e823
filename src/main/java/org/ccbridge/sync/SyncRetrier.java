package org.ccbridge.sync;

import java.util.concurrent.Callable;

import org.ccbridge.auth.TokenUnavailableException;
import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.JitteredBackoff;
import org.ccbridge.coordination.LockLostException;
import org.ccbridge.coordination.LockNotAcquiredException;
import org.ccbridge.coordination.StoreRefusedDataException;
import org.ccbridge.crm.CircuitOpenException;
import org.ccbridge.crm.TargetRejectedException;
import org.ccbridge.crm.TargetThrottledException;
import org.ccbridge.crm.TargetUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Runs a change through the engine with the retry policy: 5xx, timeouts, connection errors, lock
 * contention and store outages back off exponentially with jitter; a throttled target is waited
 * for, without using up attempts (its pause is in {@link org.ccbridge.crm.GuardedTarget}); a 4xx
 * rejection fails at once; an open circuit goes back to the queue without counting as an attempt.
 */
public class SyncRetrier {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRetrier.class);

    private final SyncEngine engine;
    private final SyncProperties.Retry retry;

    public SyncRetrier(SyncEngine engine, SyncProperties.Retry retry) {
        this.engine = engine;
        this.retry = retry;
    }

    /**
     * @throws CircuitOpenException   when a target's circuit is open: requeue the change
     * @throws SyncDeferredException when the record lock or a store kept failing: requeue the change
     * @throws SyncFailedException    when the target rejects it or kept failing: dead-letter it
     */
    public SyncOutcome run(RecordChange change) throws InterruptedException {
        return run(change, () -> engine.process(change));
    }

    /** Parks an invalid change with the same retries: a lock or database blip must not dead-letter it. */
    public SyncOutcome park(InvalidChangeException invalid) throws InterruptedException {
        return run(invalid.change(), () -> engine.parkInvalid(invalid.change(), invalid.field(), invalid.reason()));
    }

    private SyncOutcome run(RecordChange change, Callable<SyncOutcome> work) throws InterruptedException {
        RuntimeException last = null;
        int attempt = 0;
        while (attempt < retry.attempts()) {
            attempt++;
            try {
                return work.call();
            } catch (CircuitOpenException e) {
                throw e;
            } catch (TargetRejectedException e) {
                throw new SyncFailedException(e.getMessage(), attempt, e);
            } catch (DataIntegrityViolationException e) {
                // the change's data, not an outage: dead-letter it now instead of requeueing it forever
                throw new SyncFailedException(StoreRefusedDataException.of(e).getMessage(), attempt, e);
            } catch (StoreRefusedDataException e) {
                throw new SyncFailedException(e.getMessage(), attempt, e);
            } catch (TargetThrottledException e) {
                // waiting for a limit is not a failure: it does not use up an attempt, and the
                // target's pause makes the next one wait out Retry-After
                attempt--;
                LOG.info("Record {}: {}; waiting {} ms", change.recordName(), e.getMessage(), e.retryAfter().toMillis());
            } catch (TargetUnavailableException | LockNotAcquiredException | LockLostException | StaleFenceTokenException
                     | CoordinationStoreUnavailableException | TokenUnavailableException | DataAccessException e) {
                last = e;
                if (attempt < retry.attempts()) {
                    long pause = backoffMillis(attempt);
                    LOG.info("Record {} attempt {} failed: {}; retrying in {} ms", change.recordName(), attempt,
                            e.getMessage(), pause);
                    Thread.sleep(pause);
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        if (!(last instanceof TargetUnavailableException)) {
            // our own stores or the record's lock, not the change, kept failing: the change goes
            // back to its queue instead of filling the DLQ while a store is down
            throw new SyncDeferredException("record " + change.recordName() + " deferred after " + retry.attempts()
                    + " attempts: " + last.getMessage(), last);
        }
        throw new SyncFailedException("gave up after " + retry.attempts() + " attempts: " + last.getMessage(),
                retry.attempts(), last);
    }

    long backoffMillis(int attempt) {
        return new JitteredBackoff(retry.initialBackoff(), retry.maxBackoff()).millis(attempt);
    }
}
