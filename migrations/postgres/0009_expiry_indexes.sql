-- The periodic sweep finds expired codes and refresh tokens by their deadline.
CREATE INDEX codes_by_expiry ON codes (expires_at);
CREATE INDEX refresh_tokens_by_expiry ON refresh_tokens (expires_at);
