-- Identity pools (their settings, roles and role mappings as one AWS-shaped JSON document),
-- the identities they hand out and the logins linked to each, the key that signs their
-- OpenID tokens, IAM roles with their inline policies, and the temporary credentials issued
-- for those roles. Times are epoch milliseconds.

CREATE TABLE identity_pools (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX identity_pools_by_created ON identity_pools (created_at, id);

CREATE TABLE identities (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX identities_by_pool ON identities (pool_id, created_at, id);

-- One row per external login: the same login always resolves to the same identity.
CREATE TABLE identity_logins (
    pool_id TEXT NOT NULL REFERENCES identity_pools (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    identity_id TEXT NOT NULL REFERENCES identities (id) ON DELETE CASCADE,
    developer BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, provider, subject)
);
CREATE INDEX identity_logins_by_identity ON identity_logins (identity_id);

CREATE TABLE identity_signing_keys (
    kid TEXT PRIMARY KEY,
    private_key_pem TEXT NOT NULL,
    modulus TEXT NOT NULL,
    exponent TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE iam_roles (
    name TEXT PRIMARY KEY,
    role_id TEXT NOT NULL,
    path TEXT NOT NULL,
    trust_policy TEXT NOT NULL,
    description TEXT,
    max_session_duration BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE iam_role_policies (
    role_name TEXT NOT NULL REFERENCES iam_roles (name) ON DELETE CASCADE,
    policy_name TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (role_name, policy_name)
);

-- The secret key is sealed, the session token stored hashed.
CREATE TABLE temp_credentials (
    access_key_id TEXT PRIMARY KEY,
    secret_key TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    session_name TEXT NOT NULL,
    context TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX temp_credentials_by_expiry ON temp_credentials (expires_at);
