-- The fields the change behind a record's agreed state changed (comma-separated mapped names):
-- another edit of the same version conflicts with it only on these, and its other fields merge.
ALTER TABLE ccbridge_sync_records ADD COLUMN changed_fields VARCHAR(2000);
