-- Customer notifications and their transactional outbox (PostgreSQL and H2 in PostgreSQL mode).
-- A notification and its outbox row are written in one transaction; the relay sends pending
-- outbox rows. Times are epoch milliseconds, UTC.
CREATE TABLE ccbridge_notifications (
    id                 VARCHAR(36)   PRIMARY KEY,
    client             VARCHAR(64)   NOT NULL,
    idempotency_key    VARCHAR(255)  NOT NULL,
    request_hash       VARCHAR(64)   NOT NULL,
    channel            VARCHAR(10)   NOT NULL,
    recipient          VARCHAR(320)  NOT NULL,
    template           VARCHAR(200),
    body               TEXT,
    customer_id        VARCHAR(255)  NOT NULL,
    message_type       VARCHAR(100)  NOT NULL,
    business_reference VARCHAR(255),
    status             VARCHAR(20)   NOT NULL,
    created_at         BIGINT        NOT NULL,
    CONSTRAINT ccbridge_notifications_key UNIQUE (client, idempotency_key)
);

-- One row per notification to send. status PENDING until sent (SENT) or given up (FAILED); a
-- relay instance holds a row while lease_until is in the future.
CREATE TABLE ccbridge_outbox (
    notification_id  VARCHAR(36)   PRIMARY KEY REFERENCES ccbridge_notifications (id),
    status           VARCHAR(20)   NOT NULL,
    attempts         INTEGER       NOT NULL,
    next_attempt_at  BIGINT        NOT NULL,
    lease_owner      VARCHAR(100),
    lease_until      BIGINT,
    last_error       VARCHAR(1000),
    created_at       BIGINT        NOT NULL
);

CREATE INDEX ccbridge_outbox_pending ON ccbridge_outbox (status, next_attempt_at);
