-- Code limits that survive reissue: failed attempts and codes issued are counted per user
-- and purpose within a window, so asking for a new code never resets the guess budget.
ALTER TABLE codes ADD COLUMN issued BIGINT NOT NULL DEFAULT 0;
ALTER TABLE codes ADD COLUMN window_started_at BIGINT NOT NULL DEFAULT 0;

-- Lockout for usernames that name no user, where the client hides whether users exist:
-- the same back-off as for real users, keyed by the name as looked up.
CREATE TABLE unknown_sign_in_failures (
    pool_id TEXT NOT NULL,
    sub TEXT NOT NULL,
    failures BIGINT NOT NULL,
    locked_until BIGINT NOT NULL,
    PRIMARY KEY (pool_id, sub),
    FOREIGN KEY (pool_id) REFERENCES user_pools (id) ON DELETE CASCADE
);

-- Sign-in attempts being checked right now, and when the last began: an attempt is counted
-- before its password is checked, and one that never finished stops counting after a while.
ALTER TABLE sign_in_failures ADD COLUMN in_flight BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sign_in_failures ADD COLUMN in_flight_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unknown_sign_in_failures ADD COLUMN in_flight BIGINT NOT NULL DEFAULT 0;
ALTER TABLE unknown_sign_in_failures ADD COLUMN in_flight_at BIGINT NOT NULL DEFAULT 0;
