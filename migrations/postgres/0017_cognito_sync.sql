-- Cognito Sync: per-identity datasets of records, the sync sessions ListRecords opens, each
-- pool's sync configuration (push, streams, events, bulk publish), the devices registered
-- for push and their dataset subscriptions, and the durable log of changes that push
-- delivery and Cognito Streams read. Times are epoch milliseconds.

CREATE TABLE sync_datasets (
    identity_id TEXT NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    dataset_name TEXT NOT NULL,
    identity_pool_id TEXT NOT NULL,
    sync_count BIGINT NOT NULL,
    -- 0 while the dataset exists; 1 once deleted (the row keeps its sync count so that a
    -- device behind the deletion learns of it).
    deleted BIGINT NOT NULL,
    deleted_sync_count BIGINT,
    data_storage BIGINT NOT NULL,
    num_records BIGINT NOT NULL,
    last_modified_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_modified_at BIGINT NOT NULL,
    PRIMARY KEY (identity_id, dataset_name)
);
CREATE INDEX sync_datasets_by_pool ON sync_datasets (identity_pool_id, identity_id);

-- A removed record stays as a tombstone (value NULL) with the sync count of its removal.
CREATE TABLE sync_records (
    identity_id TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    record_key TEXT NOT NULL,
    value TEXT,
    sync_count BIGINT NOT NULL,
    last_modified_by TEXT NOT NULL,
    last_modified_at BIGINT NOT NULL,
    device_last_modified_at BIGINT,
    PRIMARY KEY (identity_id, dataset_name, record_key),
    FOREIGN KEY (identity_id, dataset_name)
        REFERENCES sync_datasets (identity_id, dataset_name) ON DELETE CASCADE
);
CREATE INDEX sync_records_by_count ON sync_records (identity_id, dataset_name, sync_count);

-- The session tokens ListRecords hands out, hashed; UpdateRecords must present one.
CREATE TABLE sync_sessions (
    token_hash TEXT PRIMARY KEY,
    identity_pool_id TEXT NOT NULL,
    identity_id TEXT NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    dataset_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sync_sessions_by_pool ON sync_sessions (identity_pool_id, created_at);
CREATE INDEX sync_sessions_by_expiry ON sync_sessions (expires_at);

-- Per pool: PushSync, CognitoStreams and Events as AWS-shaped JSON, and the bulk publish.
CREATE TABLE sync_pool_config (
    identity_pool_id TEXT PRIMARY KEY REFERENCES identity_pools (id) ON DELETE CASCADE,
    push_sync TEXT,
    cognito_streams TEXT,
    events TEXT,
    bulk_publish_status TEXT,
    bulk_publish_started_at BIGINT,
    bulk_publish_completed_at BIGINT,
    bulk_publish_failure TEXT,
    updated_at BIGINT NOT NULL
);

-- RegisterDevice: one row per device; the push side attaches an SNS endpoint.
CREATE TABLE sync_devices (
    device_id TEXT PRIMARY KEY,
    identity_pool_id TEXT NOT NULL,
    identity_id TEXT NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    platform TEXT NOT NULL,
    token TEXT NOT NULL,
    endpoint_arn TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sync_devices_by_token ON sync_devices (identity_id, platform, token);

CREATE TABLE sync_subscriptions (
    identity_pool_id TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    device_id TEXT NOT NULL REFERENCES sync_devices (device_id) ON DELETE CASCADE,
    PRIMARY KEY (identity_id, dataset_name, device_id)
);

-- One row per UpdateRecords that changed something and per DeleteDataset, written in the
-- same transaction as the change: the durable log push delivery and streams read.
CREATE TABLE sync_changes (
    seq BIGSERIAL PRIMARY KEY,
    identity_pool_id TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    sync_count BIGINT NOT NULL,
    device_id TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX sync_changes_by_dataset ON sync_changes (identity_id, dataset_name, seq);
