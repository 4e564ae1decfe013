-- Push: the SNS platform applications and endpoints that Cognito Sync pushes through, and the
-- durable outbox of deliveries (one row per change and subscribed device) with its retries.
-- Times are epoch milliseconds.

CREATE TABLE sns_platform_applications (
    arn TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    platform TEXT NOT NULL,
    -- The attributes SNS returns (JSON object of strings): never the credential.
    attributes TEXT NOT NULL,
    -- PlatformCredential (FCM service-account JSON, APNs .p8 key), sealed.
    credential TEXT,
    -- PlatformPrincipal (the APNs key id).
    principal TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE sns_endpoints (
    arn TEXT PRIMARY KEY,
    application_arn TEXT NOT NULL REFERENCES sns_platform_applications (arn) ON DELETE CASCADE,
    token TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    custom_user_data TEXT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX sns_endpoints_by_token ON sns_endpoints (application_arn, token);

-- The changes push has fanned out into the outbox (NULL: not yet).
ALTER TABLE sync_changes ADD COLUMN pushed_at BIGINT;
CREATE INDEX sync_changes_unpushed ON sync_changes (seq) WHERE pushed_at IS NULL;

CREATE TABLE push_outbox (
    change_seq BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    identity_pool_id TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    dataset_name TEXT NOT NULL,
    sync_count BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    -- An instance delivering the row holds it until then; 0 when nobody does.
    claimed_until BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (change_seq, device_id)
);
CREATE INDEX push_outbox_due ON push_outbox (next_attempt_at);

-- Every instance LISTENs: a committed change wakes their push workers and WebSockets.
CREATE FUNCTION cognate_notify_sync_change() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('cognate_sync_changes', json_build_object(
        'seq', NEW.seq,
        'identity_pool_id', NEW.identity_pool_id,
        'identity_id', NEW.identity_id,
        'dataset_name', NEW.dataset_name,
        'sync_count', NEW.sync_count,
        'device_id', NEW.device_id
    )::text);
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER sync_changes_notify AFTER INSERT ON sync_changes
    FOR EACH ROW EXECUTE FUNCTION cognate_notify_sync_change();
