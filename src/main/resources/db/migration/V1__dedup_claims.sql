-- Event claims of the JDBC dedup store (PostgreSQL and H2 in PostgreSQL mode).
-- expires_at is epoch milliseconds: the lease while in flight, the retention once done.
CREATE TABLE ccbridge_dedup (
    dedup_key    VARCHAR(512) PRIMARY KEY,
    claim_token  VARCHAR(36)  NOT NULL,
    payload_hash VARCHAR(64)  NOT NULL,
    done         BOOLEAN      NOT NULL,
    expires_at   BIGINT       NOT NULL
);

CREATE INDEX ccbridge_dedup_expires_at ON ccbridge_dedup (expires_at);
