-- User import jobs (CreateUserImportJob and its kin): the job, its uploaded CSV and how far
-- the runner has got (rows_done, with the counts, written in the same transaction as each
-- batch of users), so that a job survives a restart and resumes where it stopped.
CREATE TABLE user_import_jobs (
    id TEXT PRIMARY KEY,
    pool_id TEXT NOT NULL REFERENCES user_pools (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role_arn TEXT NOT NULL,
    status TEXT NOT NULL,
    -- The PreSignedUrl's token, sealed with the master key.
    upload_token TEXT NOT NULL,
    csv TEXT,
    rows_done BIGINT NOT NULL DEFAULT 0,
    imported BIGINT NOT NULL DEFAULT 0,
    skipped BIGINT NOT NULL DEFAULT 0,
    failed BIGINT NOT NULL DEFAULT 0,
    completion_message TEXT,
    -- Until when the instance running the job holds it; another takes over after.
    lease_until BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    started_at BIGINT,
    completed_at BIGINT
);
CREATE INDEX user_import_jobs_pool ON user_import_jobs (pool_id, created_at);
CREATE INDEX user_import_jobs_status ON user_import_jobs (status, lease_until);

-- The job's log, as Cognito writes it to CloudWatch: one line per row skipped or failed.
CREATE TABLE user_import_log (
    job_id TEXT NOT NULL REFERENCES user_import_jobs (id) ON DELETE CASCADE,
    line BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (job_id, line)
);
