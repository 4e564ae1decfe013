-- Sign-in aliases as claims: one row per alias value a user holds (a verified email or phone
-- number, a preferred_username, or a UsernameAttributes value), so that the database itself
-- refuses a second holder, even when two sign-ups race. Values are lower-cased in pools with
-- case-insensitive usernames. Rows for existing users are filled in at start-up.
CREATE TABLE user_aliases (
    pool_id TEXT NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    sub TEXT NOT NULL,
    PRIMARY KEY (pool_id, name, value),
    FOREIGN KEY (pool_id, sub) REFERENCES users (pool_id, sub) ON DELETE CASCADE
);
CREATE INDEX user_aliases_by_user ON user_aliases (pool_id, sub);
