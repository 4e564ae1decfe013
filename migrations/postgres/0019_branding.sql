-- The hosted pages' look: the classic UI customization (CSS and a logo image, per pool with
-- client_id 'ALL', or per client) and managed-login branding styles (settings and assets,
-- one per client).

CREATE TABLE ui_customizations (
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    css TEXT,
    css_version TEXT,
    image TEXT,
    image_type TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, client_id),
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);

CREATE TABLE managed_login_brandings (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL,
    client_id TEXT NOT NULL,
    use_cognito_provided_values BIGINT NOT NULL,
    settings TEXT NOT NULL,
    assets TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (pool_id, client_id),
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);
