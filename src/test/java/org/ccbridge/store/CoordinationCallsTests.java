package org.ccbridge.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;

import org.ccbridge.coordination.CoordinationStoreUnavailableException;
import org.ccbridge.coordination.StoreRefusedDataException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;

/** Bad data and outages are different failures: a 400 or a dead letter, against a 503 or a requeue. */
class CoordinationCallsTests {

    @Test
    void aValueTheDatabaseRefusesIsBadDataNamedBySqlStateWithoutTheValue() {
        DataIntegrityViolationException tooLong = new DataIntegrityViolationException("insert failed",
                new SQLException("value too long for type character varying(255): secret-value", "22001"));
        assertThatThrownBy(() -> CoordinationCalls.jdbc(() -> {
            throw tooLong;
        })).isInstanceOf(StoreRefusedDataException.class).hasMessageContaining("22001")
                .hasMessageNotContaining("secret-value");
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsAnOutage() {
        assertThatThrownBy(() -> CoordinationCalls.jdbc(() -> {
            throw new DataAccessResourceFailureException("connection refused");
        })).isInstanceOf(CoordinationStoreUnavailableException.class);
    }
}
