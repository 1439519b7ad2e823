-- Access tokens of the JDBC token store (PostgreSQL and H2 in PostgreSQL mode), shared by every
-- instance. Tokens are short-lived bearer credentials: keep this database's access as tight as
-- the secrets' own. refresh_at and expires_at are epoch milliseconds.
CREATE TABLE ccbridge_oauth_tokens (
    client       VARCHAR(255)  PRIMARY KEY,
    access_token VARCHAR(8192) NOT NULL,
    refresh_at   BIGINT        NOT NULL,
    expires_at   BIGINT        NOT NULL
);
