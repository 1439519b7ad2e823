-- Fenced locks of the JDBC lock store (PostgreSQL and H2 in PostgreSQL mode).
-- A row outlives its holders: it keeps the resource's last fencing token, so that the next
-- holder's token is greater, across instances and restarts. owner is NULL while nobody holds it;
-- expires_at is epoch milliseconds.
CREATE TABLE ccbridge_locks (
    resource      VARCHAR(255) PRIMARY KEY,
    owner         VARCHAR(255),
    fencing_token BIGINT       NOT NULL,
    expires_at    BIGINT       NOT NULL
);
