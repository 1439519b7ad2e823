-- Versioned session state of the JDBC session store (PostgreSQL and H2 in PostgreSQL mode).
-- expires_at is epoch milliseconds; expired rows count as absent and are purged.
CREATE TABLE ccbridge_sessions (
    session_key  VARCHAR(512) PRIMARY KEY,
    version      BIGINT       NOT NULL,
    content      BYTEA        NOT NULL,
    compressed   BOOLEAN      NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    region       VARCHAR(64),
    expires_at   BIGINT       NOT NULL
);

CREATE INDEX ccbridge_sessions_expires_at ON ccbridge_sessions (expires_at);
