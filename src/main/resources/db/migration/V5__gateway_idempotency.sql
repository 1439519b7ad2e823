-- Idempotency-Key records of the mutation gateway (PostgreSQL and H2 in PostgreSQL mode).
-- In flight: claim_token set, status NULL, expires_at = end of the lease. Completed: the stored
-- response, expires_at = end of the retention. Times are epoch milliseconds.
CREATE TABLE ccbridge_idempotency (
    idempotency_key VARCHAR(600)  PRIMARY KEY,
    claim_token     VARCHAR(36)   NOT NULL,
    request_hash    VARCHAR(64)   NOT NULL,
    status          INTEGER,
    headers         VARCHAR(8192),
    body            BYTEA,
    expires_at      BIGINT        NOT NULL
);

CREATE INDEX ccbridge_idempotency_expires_at ON ccbridge_idempotency (expires_at);
