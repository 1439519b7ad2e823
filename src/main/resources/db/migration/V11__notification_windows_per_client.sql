-- A customer id is the calling client's: two clients' "cust-1" are two customers, and one client's
-- notifications must never suppress another's. The dedup window is per (client, customer id,
-- message type), like the Idempotency-Key.
ALTER TABLE ccbridge_notification_ledger ADD COLUMN client VARCHAR(64) DEFAULT '' NOT NULL;
UPDATE ccbridge_notification_ledger SET client = (SELECT n.client FROM ccbridge_notifications n
    WHERE n.id = ccbridge_notification_ledger.notification_id);

DROP INDEX ccbridge_notification_ledger_window;
CREATE INDEX ccbridge_notification_ledger_window
    ON ccbridge_notification_ledger (client, customer_id, message_type, recorded_at);

-- reservation rows only: relays create them again on demand
DROP TABLE ccbridge_notification_windows;
CREATE TABLE ccbridge_notification_windows (
    client        VARCHAR(64)   NOT NULL,
    customer_id   VARCHAR(255)  NOT NULL,
    message_type  VARCHAR(100)  NOT NULL,
    sending_id    VARCHAR(36),
    sending_until BIGINT,
    PRIMARY KEY (client, customer_id, message_type)
);
