-- Where each pulled source has read up to (a CXone lastPollTime, for example). A row is written
-- only after every event before the cursor is durable in the broker, and only by the instance
-- that holds the source's lease: fencing_token is that lease's token, and a write with a lower
-- token than the row's is refused, so that a holder that lost its lease cannot move the cursor.
CREATE TABLE ccbridge_pull_cursors (
    source        VARCHAR(63)  PRIMARY KEY,
    cursor_value  VARCHAR(512) NOT NULL,
    fencing_token BIGINT       NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
