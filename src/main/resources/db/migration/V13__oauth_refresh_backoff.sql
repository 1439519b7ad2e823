-- Refused token requests per OAuth client, shared by every instance: until retry_at no instance
-- asks the token endpoint again, so a refusing platform (429 after a few rapid requests,
-- credentials suspended after ten failures) sees one request per backoff, not one per caller.
-- retry_at and expires_at are epoch milliseconds; the row is forgotten at expires_at or when a
-- token is issued.
CREATE TABLE ccbridge_oauth_refresh_backoff (
    client     VARCHAR(255) PRIMARY KEY,
    refusals   INTEGER      NOT NULL,
    retry_at   BIGINT       NOT NULL,
    expires_at BIGINT       NOT NULL
);
