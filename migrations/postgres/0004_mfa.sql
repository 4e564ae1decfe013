-- Each user's MFA factors: a software token (TOTP) and whether SMS and email codes are on.

CREATE TABLE user_mfa (
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    totp_secret TEXT,
    totp_verified BIGINT NOT NULL,
    totp_enabled BIGINT NOT NULL,
    sms_enabled BIGINT NOT NULL,
    email_enabled BIGINT NOT NULL,
    preferred TEXT,
    totp_last_step BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, sub),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
