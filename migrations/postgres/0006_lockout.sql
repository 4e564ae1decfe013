-- Failed sign-ins per user, for Cognito's lockout with a growing back-off.

CREATE TABLE sign_in_failures (
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (pool_id, sub),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
