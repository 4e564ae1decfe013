-- Remembered devices: each with its own SRP verifier, and the device a refresh token is bound to.

CREATE TABLE devices (
    device_key TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    group_key TEXT NOT NULL,
    name TEXT,
    salt TEXT,
    verifier TEXT,
    remembered BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    last_auth_at BIGINT,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX devices_by_user ON devices (pool_id, sub, created_at);

ALTER TABLE refresh_tokens ADD COLUMN device_key TEXT;
