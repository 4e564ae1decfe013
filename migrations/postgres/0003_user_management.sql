-- User management: groups and their members, MFA options, and a searchable index of user
-- attributes so that ListUsers filters are index range scans even in very large pools.

ALTER TABLE users ADD COLUMN mfa_options TEXT;
-- New email or phone values waiting for verification (UserAttributeUpdateSettings), as JSON.
ALTER TABLE users ADD COLUMN pending_attributes TEXT;

CREATE TABLE user_groups (
    pool_id TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT,
    role_arn TEXT,
    precedence BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, name)
);

CREATE TABLE group_members (
    pool_id TEXT NOT NULL,
    group_name TEXT NOT NULL,
    sub TEXT NOT NULL,
    username_key TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, group_name, sub),
    FOREIGN KEY (pool_id, group_name) REFERENCES user_groups (pool_id, name) ON DELETE CASCADE,
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX group_members_by_user ON group_members (pool_id, sub, group_name);
CREATE INDEX group_members_by_username ON group_members (pool_id, group_name, username_key);

-- Values compare bytewise (COLLATE "C") so that prefix ranges match what SQLite does.
-- One row per searchable attribute of a user (including the pseudo-attributes username,
-- sub, cognito:user_status and status), rewritten with every write to the user.
CREATE TABLE user_attribute_index (
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (pool_id, sub, name),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX user_attribute_index_by_value ON user_attribute_index (pool_id, name, value, sub);

CREATE INDEX refresh_tokens_by_origin ON refresh_tokens (origin_jti);

INSERT INTO user_attribute_index (pool_id, sub, name, value)
SELECT pool_id, sub, 'username', username_key FROM users;
INSERT INTO user_attribute_index (pool_id, sub, name, value)
SELECT pool_id, sub, 'sub', sub FROM users;
INSERT INTO user_attribute_index (pool_id, sub, name, value)
SELECT pool_id, sub, 'cognito:user_status', status FROM users;
INSERT INTO user_attribute_index (pool_id, sub, name, value)
SELECT pool_id, sub, 'status', CASE WHEN enabled = 1 THEN 'Enabled' ELSE 'Disabled' END FROM users;
INSERT INTO user_attribute_index (pool_id, sub, name, value)
SELECT u.pool_id, u.sub, a.key, a.value FROM users u, json_each_text(u.attributes::json) a
WHERE a.key IN ('email', 'phone_number', 'name', 'given_name', 'family_name', 'preferred_username');
