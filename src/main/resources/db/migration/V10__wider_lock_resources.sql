-- Lock resources are "<client>:<resource>" (64 + 1 + 200 characters) for the /locks API and
-- "#sync:<object>:<record key>" for the sync engine: both can exceed 255.
ALTER TABLE ccbridge_locks ALTER COLUMN resource SET DATA TYPE VARCHAR(512);
