-- The hosted UI and the OAuth2 authorization server: pool domains, resource servers with
-- their custom scopes, authorization codes, the grants tokens were issued under, signed-in
-- browser sessions and CSRF tokens. Codes, sessions and CSRF tokens are stored hashed.

CREATE TABLE user_pool_domains (
    domain TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL UNIQUE,
    custom_domain_config TEXT,
    managed_login_version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);

CREATE TABLE resource_servers (
    pool_id TEXT NOT NULL,
    identifier TEXT NOT NULL,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, identifier),
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);

CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    grant_doc TEXT NOT NULL,
    origin_jti TEXT NOT NULL,
    used_at BIGINT,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);
CREATE INDEX oauth_codes_by_expiry ON oauth_codes (expires_at);

CREATE TABLE oauth_grants (
    origin_jti TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);

CREATE TABLE hosted_sessions (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);
CREATE INDEX hosted_sessions_by_expiry ON hosted_sessions (expires_at);

CREATE TABLE hosted_csrf (
    id TEXT PRIMARY KEY,
    expires_at BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX hosted_csrf_by_expiry ON hosted_csrf (expires_at);
