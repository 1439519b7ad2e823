package org.ccbridge.store;

import java.util.function.Supplier;

import io.lettuce.core.RedisException;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.springframework.dao.DataAccessException;

/** Turns a store's failures into the one exception the coordination APIs answer 503 for. */
final class CoordinationCalls {

    private CoordinationCalls() {
    }

    static <T> T jdbc(Supplier<T> operation) {
        try {
            return operation.get();
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
