-- The event fate journal: each accepted event's story, one row per entry, kept for the dedup
-- window (ccbridge.fate.retention) and written off the acknowledgment path. at is epoch
-- milliseconds, UTC; detail a JSON object of what an operator needs of the entry, never a payload.
-- No key column: a story is read by its event and ordered by time, and an identity column with its
-- index would cost every insert about a quarter more.
CREATE TABLE ccbridge_event_fate (
    source      VARCHAR(100)  NOT NULL,
    event_id    VARCHAR(255)  NOT NULL,
    at          BIGINT        NOT NULL,
    stage       VARCHAR(20)   NOT NULL,
    record_key  VARCHAR(300),
    trace_id    VARCHAR(32),
    detail      TEXT          NOT NULL
);

-- event id first: the console also looks an event id up without its source
CREATE INDEX ccbridge_event_fate_event ON ccbridge_event_fate (event_id, source);
CREATE INDEX ccbridge_event_fate_record ON ccbridge_event_fate (record_key);
CREATE INDEX ccbridge_event_fate_at ON ccbridge_event_fate (at);
