-- Token buckets of the rate limits every instance shares when the JDBC store is PostgreSQL
-- (Bucket4j's select-for-update layout): one row per limit and its bounds, state as Bucket4j
-- serializes it, expires_at in epoch milliseconds once the bucket would be full again. H2, the
-- embedded single-instance store, keeps its buckets in memory and leaves this table empty.
CREATE TABLE ccbridge_rate_limit_buckets (
    id         VARCHAR(255) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
