-- Administration: the audit log of administrative changes, and the REST admin API's tokens.
CREATE TABLE admin_audit (
    id TEXT PRIMARY KEY,
    at BIGINT NOT NULL,
    -- token, sigv4 or local; and the token's name or the access key id.
    actor_kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    source TEXT NOT NULL,
    surface TEXT NOT NULL,
    operation TEXT NOT NULL,
    resource TEXT NOT NULL,
    -- JSON array of the names of the fields the change set (never their values).
    fields TEXT NOT NULL
);
CREATE INDEX admin_audit_at ON admin_audit (at);
CREATE INDEX admin_audit_resource ON admin_audit (resource, at);

CREATE TABLE admin_tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    -- SHA-256 of the token, hex; the token itself is shown once and never stored.
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0
);

-- Pools as code: what each logical id of an imported template became, and the digest of the
-- properties it was last created or updated with, so that a second import changes nothing.
CREATE TABLE template_resources (
    stack TEXT NOT NULL,
    logical_id TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    physical_id TEXT NOT NULL,
    -- JSON object of the resource's attributes (Fn::GetAtt).
    attributes TEXT NOT NULL,
    digest TEXT NOT NULL,
    PRIMARY KEY (stack, logical_id)
);
