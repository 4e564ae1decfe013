-- Cognito Streams through a durable outbox: one row per record owed to a pool's stream,
-- written in the transaction of the change it publishes (or by a BulkPublish run), claimed by
-- one instance at a time, retried with back-off, deleted once the sink took it. Times are
-- epoch milliseconds.

CREATE TABLE stream_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    identity_pool_id TEXT NOT NULL,
    stream_name TEXT NOT NULL,
    partition_key TEXT NOT NULL,
    -- Cognito's stream record, JSON.
    record TEXT NOT NULL,
    -- The BulkPublish run the row belongs to (sync_pool_config.bulk_publish_run); NULL for a change.
    bulk_run TEXT,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    -- An instance posting the row holds it until then; 0 when nobody does.
    claimed_until BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX stream_outbox_due ON stream_outbox (next_attempt_at);
CREATE INDEX stream_outbox_by_run ON stream_outbox (bulk_run) WHERE bulk_run IS NOT NULL;

-- The pool's current BulkPublish run, and when all its rows were in the outbox (NULL: not yet).
ALTER TABLE sync_pool_config ADD COLUMN bulk_publish_run TEXT;
ALTER TABLE sync_pool_config ADD COLUMN bulk_publish_enqueued_at BIGINT;

-- A dataset moved here when its identity was merged into this one (MergeDeveloperIdentities):
-- the source identity's id, its name being "<name>.<that id>" as in Cognito Sync; ListRecords
-- of "<name>" reports it in MergedDatasetNames.
ALTER TABLE sync_datasets ADD COLUMN merged_from TEXT;
