package org.ccbridge.store;

import java.util.function.Supplier;

import io.lettuce.core.RedisException;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.StoreRefusedDataException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Turns a store's failures into the one exception the coordination APIs answer 503 for, and a value
 * the database refused into {@link StoreRefusedDataException}.
 */
final class CoordinationCalls {

    private CoordinationCalls() {
    }

    static <T> T jdbc(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataIntegrityViolationException e) {
            // bad data, not an outage: a 503 would have the caller retry it forever
            throw StoreRefusedDataException.of(e);
        } catch (DataAccessException e) {
            throw new CoordinationStoreUnavailableException(
                    "Database did not answer: " + e.getMostSpecificCause().getMessage(), e);
        }
    }

    static <T> T redis(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (DataAccessException | RedisException e) {
            throw new CoordinationStoreUnavailableException("Redis did not answer: " + e.getMessage(), e);
        }
    }
}
