-- Codes of usernames that name no user, where the client hides whether users exist: a
-- ForgotPassword or ResendConfirmationCode for nobody stores a code nobody receives, and
-- guesses at it are claimed, so that unknown users cost the same writes and hit the same
-- limits as known ones. Keyed by the name as looked up; no user row to reference.
CREATE TABLE unknown_codes (
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    purpose TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    issued BIGINT NOT NULL DEFAULT 0,
    window_started_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (pool_id, sub, purpose),
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);
CREATE INDEX unknown_codes_by_expiry ON unknown_codes (expires_at);
